/* Start nhsuk-frontend's components (header menu, character counts, error summary focus…). A module, so it runs
 * once the page is parsed and only in browsers that nhsuk-frontend supports. The import is relative to this file,
 * so it resolves under STATIC_URL wherever that is. */
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
