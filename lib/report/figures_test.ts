import assert from "node:assert/strict";
import { join } from "node:path";
import {
  boxplotGridSpec,
  coefficientBarSpec,
  figureNotes,
  figureSpec,
  heatmapSpec,
  lineChartSpec,
  logTickLabel,
  renderPng,
  renderSvg,
  scatterSpec,
  svgToPng,
  writeFigure,
} from "./figures.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) }; // IHDR follows the 8-byte signature
}

const lossRows = [1, 2, 3, 4].flatMap((epoch) => [
  { cell: "a", epoch, loss: 10 ** -epoch },
  { cell: "b", epoch, loss: 2 * 10 ** -epoch },
]);

const boxRows = [50, 100].flatMap((width) =>
  [1, 2, 3].flatMap((layers) =>
    ["tanh", "softplus"].flatMap((activation) =>
      [1, 2, 3, 4, 5].map((r) => ({ width, layers, activation, mse: r * 10 ** (layers - 6) }))
    )
  )
);

Deno.test("line chart SVG has axis titles and is byte-identical across renders", async () => {
  const spec = lineChartSpec({
    data: lossRows,
    x: "epoch",
    y: "loss",
    series: "cell",
    xTitle: "epoch",
    yTitle: "training loss",
    logY: true,
  });
  const first = await renderSvg(spec);
  const second = await renderSvg(structuredClone(spec));
  assert.ok(first.startsWith("<svg"));
  assert.match(first, />epoch</);
  assert.match(first, />training loss</);
  assert.match(first, /10⁻⁴/, "log axis labels powers of ten");
  assert.equal(first, second);
});

Deno.test("boxplot grid renders facets, log axis and is deterministic", async () => {
  const spec = boxplotGridSpec({
    data: boxRows,
    x: "layers",
    y: "mse",
    color: "activation",
    column: "width",
    xTitle: "hidden layers",
    yTitle: "MSE",
    columnTitle: "width",
  });
  const [a, b] = [await renderSvg(spec), await renderSvg(spec)];
  assert.equal(a, b);
  for (const text of ["hidden layers", "MSE", "width", "tanh", "softplus", ">50<", ">100<"]) {
    assert.ok(a.includes(text), `SVG should contain ${text}`);
  }
});

Deno.test("PNG starts with the PNG signature and has the requested width", async () => {
  const svg = await renderSvg(
    scatterSpec({
      data: [{ nn: 1, poly: 1.1 }, { nn: 2, poly: 1.9 }],
      x: "nn",
      y: "poly",
      xTitle: "NN",
      yTitle: "poly",
    }),
  );
  const png = await svgToPng(svg, { width: 400 });
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  const size = pngSize(png);
  assert.equal(size.width, 400);
  const svgWidth = Number(svg.match(/width="(\d+)"/)![1]);
  const svgHeight = Number(svg.match(/height="(\d+)"/)![1]);
  assert.ok(
    Math.abs(size.height - Math.round((400 * svgHeight) / svgWidth)) <= 1,
    "height keeps aspect ratio",
  );
  const scaled = pngSize(await renderPng(spec2(), { scale: 1 }));
  assert.ok(scaled.width > 100 && scaled.height > 50);
  await assert.rejects(() => svgToPng(svg, { width: -3 }), /`width` must be a positive integer/);
});

function spec2() {
  return coefficientBarSpec({
    data: [{ term: "x1", mean: 2, sd: 0.5 }, { term: "x2", mean: -1, sd: 0.1 }, { term: "x1*x2", mean: 0.1 }],
    label: "term",
    value: "mean",
    error: "sd",
    valueTitle: "coefficient",
    labelTitle: "term",
    topK: 2,
  });
}

Deno.test("log-axis guard drops or clamps non-positive values and says so", async () => {
  const data = [{ e: 1, l: 1 }, { e: 2, l: 0.01 }, { e: 3, l: 0 }, { e: 4, l: -1 }, { e: 5, l: NaN }];
  const dropped = lineChartSpec({ data, x: "e", y: "l", xTitle: "epoch", yTitle: "loss", logY: true });
  const values = (dropped.data as { values: { l: number }[] }).values.map((r) => r.l);
  assert.deepEqual(values, [1, 0.01]);
  assert.deepEqual(figureNotes(dropped), [
    "1 non-finite or missing value of l dropped",
    "2 values ≤ 0 of l dropped (log y axis)",
  ]);
  const svg = await renderSvg(dropped);
  assert.match(svg, /2 values ≤ 0 of l dropped \(log y axis\)/, "note is visible in the subtitle");

  const clamped = lineChartSpec({
    data,
    x: "e",
    y: "l",
    xTitle: "epoch",
    yTitle: "loss",
    logY: true,
    logGuard: "clamp",
  });
  assert.deepEqual((clamped.data as { values: { l: number }[] }).values.map((r) => r.l), [
    1,
    0.01,
    0.01,
    0.01,
  ]);
  assert.match(figureNotes(clamped)[1], /2 values ≤ 0 of l clamped to 0.01/);

  assert.throws(
    () => lineChartSpec({ data: [{ e: 1, l: 0 }], x: "e", y: "l", xTitle: "e", yTitle: "l", logY: true }),
    /no plottable values of 'l'/,
  );
  // Linear axes keep zeros and negatives.
  const linear = lineChartSpec({ data, x: "e", y: "l", xTitle: "epoch", yTitle: "loss" });
  assert.equal((linear.data as { values: unknown[] }).values.length, 4);
});

Deno.test("log tick labels", () => {
  assert.equal(logTickLabel(1e-7), "10⁻⁷");
  assert.equal(logTickLabel(1), "1");
  assert.equal(logTickLabel(10), "10");
  assert.equal(logTickLabel(1000), "10³");
  assert.equal(logTickLabel(0.02), "0.02");
  assert.equal(logTickLabel(0), "");
});

Deno.test("bad input throws errors that name the field", () => {
  assert.throws(
    () => lineChartSpec({ data: [], x: "e", y: "l", xTitle: "e", yTitle: "l" }),
    /lineChartSpec: `data` is empty/,
  );
  assert.throws(
    () => lineChartSpec({ data: [{ e: 1 }], x: "e", y: "l", xTitle: "e", yTitle: "l" }),
    /data\[0\] has no field 'l' \(named by `y`\)/,
  );
  assert.throws(
    () => lineChartSpec({ data: [{ e: 1, l: 1 }], x: "e", y: "l", xTitle: "e", yTitle: "" }),
    /`yTitle` is required/,
  );
  assert.throws(
    () => figureSpec({ kind: "pie" } as unknown as Parameters<typeof figureSpec>[0]),
    /unknown figure `kind` 'pie' — use one of line, boxplot/,
  );
  assert.throws(
    () =>
      heatmapSpec({
        values: [[1, 2], [3]],
        rowLabels: ["a", "b"],
        colLabels: ["x", "y"],
        xTitle: "x",
        yTitle: "y",
        colorTitle: "v",
      }),
    /values\[1\] has 1 entries but `colLabels` has 2/,
  );
});

Deno.test("bar, heatmap and generic specs render; writeFigure writes svg + png", async () => {
  const bar = spec2();
  assert.deepEqual((bar.data as { values: { label: string }[] }).values.map((r) => r.label), ["x1", "x2"]);
  assert.match(await renderSvg(bar), />coefficient</);
  const heat = heatmapSpec({
    values: [[1, -1], [0.5, NaN]],
    rowLabels: ["r1", "r2"],
    colLabels: ["c1", "c2"],
    xTitle: "feature",
    yTitle: "output",
    colorTitle: "importance",
    showValues: 2,
  });
  assert.deepEqual(figureNotes(heat), ["1 non-finite or missing cell left blank"]);
  const generic = figureSpec({
    kind: "vega-lite",
    spec: {
      data: { values: [{ a: "x", b: 1 }] },
      mark: "bar",
      encoding: { x: { field: "a" }, y: { field: "b", type: "quantitative" } },
    },
  });
  const dir = await Deno.makeTempDir();
  try {
    const paths = await writeFigure(join(dir, "figures", "heat.svg"), heat);
    assert.deepEqual(paths, [join(dir, "figures", "heat.svg"), join(dir, "figures", "heat.png")]);
    assert.match(await Deno.readTextFile(paths[0]), />feature</);
    assert.deepEqual([...(await Deno.readFile(paths[1])).subarray(0, 8)], PNG_SIGNATURE);
    const [genericPath] = await writeFigure(join(dir, "figures", "generic"), generic, { formats: ["svg"] });
    assert.match(await Deno.readTextFile(genericPath), /DejaVu Sans/);
    await assert.rejects(() => renderSvg({ mark: "nonsense-mark" }), /vega-lite could not compile/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
