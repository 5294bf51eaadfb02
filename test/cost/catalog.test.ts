import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCatalog, priceCatalog, priceProblems } from "../../lib/prices/catalog";
import { REFERENCE_NODES } from "../../lib/cost/compute";
import { instanceHourly } from "../../lib/prices/rates";
import catalogFile from "../../lib/prices/prices.json";
import { ACCELERATOR_COST_ORDER } from "../../lib/plan/gpu-placement";
import { ACCELERATOR_INFO, type Cloud } from "../../lib/spec/accelerators";

const CLOUDS: ReadonlyArray<Cloud> = ["aws", "azure", "gcp"];

describe("price catalog", () => {
  it("gives every price a source URL, an ISO date, a unit and a confidence", () => {
    const bad = catalogFile.prices.map((p) => ({ key: p.key, problems: priceProblems(p) })).filter((p) => p.problems.length > 0);
    assert.deepEqual(bad, []);
    assert.ok(catalogFile.prices.length >= 140);
    for (const p of catalogFile.prices) assert.match(p.source, /^https?:\/\/\S+$/, p.key);
  });

  it("explains every approximate price in a note", () => {
    const unexplained = catalogFile.prices.filter((p) => p.confidence === "approximate" && !("note" in p && typeof p.note === "string" && p.note.trim().length > 0));
    assert.deepEqual(unexplained.map((p) => p.key), []);
  });

  it("refuses a catalog with a price missing its source or date", () => {
    const good = catalogFile.prices[0];
    const { source: _source, ...noSource } = good;
    assert.throws(() => buildCatalog({ ...catalogFile, prices: [noSource] }), /aws\.fargate\.vcpu-hour: no source URL/);
    assert.throws(() => buildCatalog({ ...catalogFile, prices: [{ ...good, date: "last year" }] }), /date 'last year' is not an ISO date/);
    assert.throws(() => buildCatalog({ ...catalogFile, prices: [good, good] }), /listed twice/);
    assert.throws(() => buildCatalog({ ...catalogFile, hoursPerMonth: 720 }), /hoursPerMonth is 720, not 730/);
  });

  it("uses 730 hours a month and a 60% spot discount with its source", () => {
    const catalog = priceCatalog();
    assert.equal(catalog.hoursPerMonth, 730);
    assert.equal(catalog.spotDiscount, 0.6);
    assert.match(catalog.spotDiscountSource, /^https:\/\//);
  });

  it("prices every machine shape the plan can choose, and the reference nodes", () => {
    const missing: string[] = [];
    for (const info of Object.values(ACCELERATOR_INFO)) {
      for (const cloud of CLOUDS) {
        for (const shape of info.shapes[cloud] ?? []) if (!instanceHourly(cloud, shape.instanceType)) missing.push(`${cloud} ${shape.instanceType}`);
      }
    }
    for (const node of Object.values(REFERENCE_NODES)) if (!instanceHourly(node.cloud, node.instanceType)) missing.push(`${node.cloud} ${node.instanceType}`);
    assert.deepEqual(missing, []);
  });

  it("holds the plan's accelerator cost order on every cloud (cheapest shape, per GPU-hour)", () => {
    for (const cloud of CLOUDS) {
      const perGpu = ACCELERATOR_COST_ORDER.filter((acc) => (ACCELERATOR_INFO[acc].shapes[cloud]?.length ?? 0) > 0).map((acc) => {
        const rates = (ACCELERATOR_INFO[acc].shapes[cloud] ?? []).map((s) => (instanceHourly(cloud, s.instanceType)?.usd ?? NaN) / s.gpus);
        return { acc, usd: Math.min(...rates) };
      });
      for (let i = 1; i < perGpu.length; i++) {
        assert.ok(perGpu[i - 1].usd <= perGpu[i].usd, `${cloud}: ${perGpu[i - 1].acc} ($${perGpu[i - 1].usd.toFixed(3)}/GPU-h) is dearer than ${perGpu[i].acc} ($${perGpu[i].usd.toFixed(3)})`);
      }
    }
  });

  it("adds an N1 machine's attached T4 to its price on GCP", () => {
    const n1 = instanceHourly("gcp", ACCELERATOR_INFO["nvidia-t4"].shapes.gcp?.[0].instanceType ?? "");
    assert.ok(n1);
    assert.deepEqual(n1.prices.map((p) => p.key).sort(), ["gcp.gce.n1-standard-4.hour", "gcp.gpu.nvidia-tesla-t4.hour"]);
    assert.equal(n1.usd, 0.189999 + 0.35);
  });
});
