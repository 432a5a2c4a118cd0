/**
 * The symgrad yardstick (tools/symgrad_yardstick/concepts.ts): labelled concept networks made like the
 * shared fixtures, the CLI run on each the way ../shared/tools/check-symgrad runs it, and the
 * recovery of every choice rule tabulated.
 *
 * ```sh
 * deno run -A tools/symgrad_yardstick/main.ts make DIR [--seeds 1,2] [--only A1,C] [--max-epochs 200]
 * deno run -A tools/symgrad_yardstick/main.ts run DIR OUT [--seconds 75] [--only …] [--root CHECKOUT] [-- CLI flags]
 * deno run -A tools/symgrad_yardstick/main.ts score DIR OUT [OUT2 …]                   # table per rule
 * deno run -A tools/symgrad_yardstick/main.ts summary DIR OUT [OUT2 …] [--rules a,b]   # rules × engine settings
 * deno run -A tools/symgrad_yardstick/main.ts show DIR OUT                             # every front, judged
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/io/atomic.ts";
import { FIXTURE_SETTINGS, makeYardstickFixture, YARDSTICK_CONCEPTS } from "./concepts.ts";

const [command, ...rest] = Deno.args;
const split = rest.indexOf("--");
const own = split < 0 ? rest : rest.slice(0, split);
const cliExtra = split < 0 ? [] : rest.slice(split + 1);
const { values, positionals } = parseArgs({
  args: own,
  allowPositionals: true,
  options: {
    seeds: { type: "string", default: "1,2" },
    only: { type: "string" },
    seconds: { type: "string", default: "75" },
    "max-epochs": { type: "string", default: "200" },
    root: { type: "string", default: "." },
    rules: {
      type: "string",
      default: "pysr-1.5,pysr-all,last-drop-10,within-x3,within+1e-3,penalty-0.15,knee,floored-0.1+0.001",
    },
  },
});
const only = values.only ? new Set(values.only.split(",")) : null;

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().filter((f) =>
    only === null || only.has(f.replace(/\.json$/, "").split("-").pop()!)
  );
}

if (command === "make") {
  const [dir] = positionals;
  mkdirSync(dir, { recursive: true });
  for (const seed of values.seeds!.split(",").map(Number)) {
    for (const concept of YARDSTICK_CONCEPTS) {
      if (only && !only.has(concept.name)) continue;
      const file = join(dir, `yardstick-${seed}-${concept.name}.json`);
      if (existsSync(file)) continue;
      const fx = await makeYardstickFixture(concept, seed, {
        ...FIXTURE_SETTINGS,
        epochs: Number(values["max-epochs"]),
      });
      if (fx === null) {
        console.log(`${concept.name} seed ${seed}: too few unsure points, skipped`);
        continue;
      }
      await writeFileAtomic(file, JSON.stringify(fx));
      console.log(
        `${fx.name}: accuracy ${(fx.accuracy as number).toFixed(4)}, epochs ${fx.epochs}, ` +
          `${fx.n_unsure} unsure, truth_loss ${(fx.truth_loss as number).toExponential(2)}, ` +
          `ρ(net, truth) ${(fx.net_spearman_test as number).toFixed(4)}, ${
            (fx.train_seconds as number).toFixed(0)
          } s`,
      );
    }
  }
} else if (command === "run") {
  const [dir, out] = positionals;
  mkdirSync(out, { recursive: true });
  const tmp = Deno.makeTempDirSync();
  for (const f of fixtureFiles(dir)) {
    const target = join(out, f);
    if (existsSync(target)) continue;
    const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
    const copy = join(tmp, "network.json");
    await Deno.writeTextFile(
      copy,
      JSON.stringify({ inputs: fx.inputs, layers: fx.layers, points: fx.points }),
    );
    const t0 = performance.now();
    const r = await new Deno.Command("deno", {
      args: ["task", "-q", "poly", "symgrad", copy, "--seed", "1", "--seconds", values.seconds!, ...cliExtra],
      cwd: values.root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const wall = (performance.now() - t0) / 1000;
    if (!r.success) {
      console.log(`${f}: exit ${r.code}: ${new TextDecoder().decode(r.stderr).trim().split("\n").pop()}`);
      continue;
    }
    const res = JSON.parse(new TextDecoder().decode(r.stdout));
    await writeFileAtomic(target, JSON.stringify({ ...res, wall }));
    console.log(`${f}: ${res.front[res.best].expression} (${wall.toFixed(0)} s)`);
  }
  Deno.removeSync(tmp, { recursive: true });
} else if (command === "score") {
  const { scoreYardstick } = await import("./score.ts");
  const [dir, ...outs] = positionals;
  console.log(scoreYardstick(dir, outs, fixtureFiles(dir)));
} else if (command === "summary") {
  const { summarize } = await import("./score.ts");
  const [dir, ...outs] = positionals;
  console.log(summarize(dir, outs, fixtureFiles(dir), values.rules!.split(",")));
} else if (command === "show") {
  const { showFronts } = await import("./score.ts");
  const [dir, out] = positionals;
  console.log(showFronts(dir, out, fixtureFiles(dir)));
} else {
  console.error("usage: deno run -A tools/symgrad_yardstick/main.ts make|run|score …");
  Deno.exit(2);
}
