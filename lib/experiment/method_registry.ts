/**
 * The one place the framework reads methods from (beside ./registry.ts for studies). A method
 * adapter (`lib/methods/<name>.ts`) registers its {@link Method} here at import time, with its own
 * module URL; `lib/methods/mod.ts` imports every adapter, and the entry points that run experiments
 * import it. Worker threads do not share this registry: the pool sends {@link methodModules} to each
 * worker, which imports them (in registration order) before running a cell.
 *
 * Also here: the `methods` part of the config schema (each entry validated by its method's own
 * schema, unknown names refused with the list of known ones), the cross-field checks run when a
 * config is planned, and display labels.
 *
 * @example
 * ```ts
 * registerMethod(myMethod, import.meta.url);
 * ```
 *
 * @module
 */

import { z } from "zod";
import { UsageError } from "../errors.ts";
import type { ConfigShape, Method, MethodsConfig } from "./method.ts";
import type { Experiment } from "./schema.ts";

const methods = new Map<string, Method<unknown>>();
const modules: string[] = [];

/**
 * Registers a method under `method.name`; `moduleUrl` is the registering module's
 * `import.meta.url` (imported again by each worker thread). Names are letters and digits.
 */
export function registerMethod<O>(method: Method<O>, moduleUrl: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(method.name)) {
    throw new Error(`method name "${method.name}": use letters and digits, starting with a letter`);
  }
  if (methods.has(method.name)) throw new Error(`method "${method.name}" is registered twice`);
  methods.set(method.name, method as Method<unknown>);
  if (!modules.includes(moduleUrl)) modules.push(moduleUrl);
}

/** The registered method of that name, if any. */
export function methodNamed(name: string): Method<unknown> | undefined {
  return methods.get(name);
}

/** Names of the registered methods, in registration order. */
export function methodNames(): string[] {
  return [...methods.keys()];
}

/** URLs of the modules that registered methods, in registration order (for worker threads). */
export function methodModules(): string[] {
  return [...modules];
}

/** Imports method modules (in order) so that this thread's registry matches the sender's. */
export async function importMethodModules(urls: readonly string[]): Promise<void> {
  for (const url of urls) await import(url);
}

/**
 * Display name of a method instance: the method's label, and the variant after a space
 * (`nn2poly_q3` → `NN2Poly q3`); unknown names are returned as they are.
 */
export function methodLabel(name: string): string {
  const exact = methods.get(name);
  if (exact) return exact.label;
  const cut = name.indexOf("_");
  const base = cut > 0 ? methods.get(name.slice(0, cut)) : undefined;
  return base ? `${base.label} ${name.slice(cut + 1)}` : name;
}

/** The registered method an instance name belongs to (`nn2poly_q3` → nn2poly). */
export function methodOfInstance(name: string): Method<unknown> | undefined {
  const cut = name.indexOf("_");
  return methods.get(name) ?? (cut > 0 ? methods.get(name.slice(0, cut)) : undefined);
}

function known(): string {
  return methodNames().join(", ") || "none (import lib/methods/mod.ts)";
}

/**
 * The `methods` field of the config schema: an object keyed by registered method names, each
 * value validated by that method's schema (its issues keep their paths below `methods.<name>`).
 * The result lists the methods in registration order, so the resolved config does not depend on
 * the order they were written in.
 */
export const methodsSchema: z.ZodType<MethodsConfig, Record<string, unknown>> = z.record(
  z.string(),
  z.unknown(),
).transform((raw, ctx) => {
  for (const name of Object.keys(raw)) {
    if (!methods.has(name)) {
      ctx.addIssue({ code: "custom", path: [name], message: `unknown method "${name}"; known: ${known()}` });
      return z.NEVER;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, method] of methods) {
    if (!(name in raw)) continue;
    const parsed = method.options.safeParse(raw[name]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, path: [name, ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
      }
      return z.NEVER;
    }
    out[name] = parsed.data;
  }
  return out as MethodsConfig;
}).refine((m) => Object.keys(m).length > 0, "choose at least one method");

/** The network shape a resolved config describes (for the methods' cross-field checks). */
export function configShape(config: Experiment): ConfigShape {
  const hidden = config.model.hidden ?? Array.from({ length: config.model.layers }, () => config.model.width);
  const a = config.model.activation;
  return {
    p: config.data.p,
    outputs: config.data.task === "classification" ? config.data.classes ?? 1 : 1,
    hidden,
    activations: hidden.map((_, l) => (Array.isArray(a) ? a[l] ?? a[a.length - 1] : a)), // a length mismatch is the trainer's error
    trainN: Math.round(config.data.n * config.data.trainFraction),
  };
}

/**
 * Runs every configured method's cross-field checks against a resolved (grid point) config; the
 * first problem becomes a one-line {@link UsageError} naming the path (`prefix` says which grid point).
 */
export function checkMethods(config: Experiment, prefix = ""): void {
  const shape = configShape(config);
  for (const [name, options] of Object.entries(config.methods)) {
    const method = methods.get(name);
    if (!method) throw new UsageError(`${prefix}methods.${name}: unknown method; known: ${known()}`);
    const issue = method.check?.(options, config, shape)[0];
    if (!issue) continue;
    const path = issue.path[0] === "$"
      ? issue.path.slice(1).join(".")
      : ["methods", name, ...issue.path].join(".");
    throw new UsageError(`${prefix}${path}: ${issue.message}`);
  }
}
