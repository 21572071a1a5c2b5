// Where the browser pages come from (web/) and where the build puts them (dist/web/), from source under
// jest and from compiled code alike.
import path from 'node:path';

const compiled = __dirname.includes(`${path.sep}dist${path.sep}`);

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', ...(compiled ? ['..'] : []));

/** The browser pages' sources. */
export const WEB_SOURCE_DIR = path.join(PROJECT_ROOT, 'web');

/** The built pages: HTML at the top, scripts, styles, fonts and workers under assets/. */
export const WEB_BUILD_DIR = path.join(PROJECT_ROOT, 'dist', 'web');
