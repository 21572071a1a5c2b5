// Monaco (GraphiQL's editor) runs its language services in web workers. They are bundled beside the page
// (see src/tools/build-web.ts) and started from the API's own /assets, never from a CDN.
interface MonacoEnvironment {
  getWorker(workerId: string, label: string): Worker;
}

const WORKERS: Record<string, string> = {
  graphql: 'graphql.worker.js',
  json: 'json.worker.js',
};

(globalThis as typeof globalThis & { MonacoEnvironment: MonacoEnvironment }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file = WORKERS[label] ?? 'editor.worker.js';
    return new Worker(new URL(`/assets/${file}`, window.location.href));
  },
};
