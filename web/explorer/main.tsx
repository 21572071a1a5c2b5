// The explorer: GraphiQL, bundled at build time and served by the API itself (no CDN), with the headers
// box for a key, the docs explorer, and example operations per user group.
import 'graphiql/style.css';
import './page.css';
import './workers';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_TABS } from './examples';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const root = document.getElementById('graphiql');
if (!root) throw new Error('the page has no #graphiql element');
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultTabs={EXAMPLE_TABS} defaultEditorToolsVisibility="headers" isHeadersEditorEnabled />
  </StrictMode>,
);
