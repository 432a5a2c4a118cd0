/**
 * Every method adapter. Importing this module registers the methods with the framework
 * (lib/experiment/method_registry.ts), in this order (the order of metrics and tables); the entry
 * points that run experiments import it. A new method adds `lib/methods/<name>.ts` (a `Method` and
 * `registerMethod(method, import.meta.url)`) and one import line here.
 *
 * @module
 */

import "./nn2poly.ts";
import "./taylor.ts";
import "./hope.ts";
import "./poly_regression.ts";
import "./shallow.ts";
import "./symbolic.ts";
