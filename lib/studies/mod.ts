/**
 * Every paper study, one folder per method family. Importing this module registers their
 * analyses, extras and paper comparisons with the framework (lib/experiment/registry.ts); the
 * entry points that run experiments import it. A new family adds its folder with a `register.ts`
 * and one import line here.
 *
 * @module
 */

import "./nn2poly/register.ts";
import "./hope/register.ts";
import "./relu/register.ts";
import "./descramble/register.ts";
import "./models/register.ts";
import "./symgrad/register.ts";
import "./compare/register.ts";
