import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { eventsShardLimit, EVENTS_RESOURCES_PER_AGENT } from "../../lib/cdk/events-stack";
import { CFN_STACK_OUTPUT_LIMIT, CFN_STACK_RESOURCE_LIMIT, shardItems } from "../../lib/cdk/sharding";

const items = (...sizes: number[]) => sizes.map((resources, i) => ({ name: `a${i}`, resources }));

describe("shardItems", () => {
  it("keeps items in order and cuts a new shard only when the next item would pass the limit", () => {
    const shards = shardItems(items(200, 200, 50, 10, 300, 150), 450);
    assert.deepEqual(
      shards.map((s) => s.map((i) => i.name)),
      [["a0", "a1", "a2"], ["a3", "a4"], ["a5"]],
    );
    for (const s of shards) assert.ok(s.reduce((t, i) => t + i.resources, 0) <= 450);
  });

  it("never moves earlier items when items are appended", () => {
    const before = shardItems(items(100, 120, 90, 200, 80), 300);
    const after = shardItems(items(100, 120, 90, 200, 80, 70, 300), 300);
    assert.deepEqual(after.slice(0, before.length - 1), before.slice(0, -1));
    assert.deepEqual(after[before.length - 1].slice(0, before[before.length - 1].length), before[before.length - 1]);
  });

  it("refuses an item larger than a shard and a limit CloudFormation does not allow", () => {
    assert.throws(() => shardItems(items(10, 460), 450), /a1 alone needs 460 resources/);
    assert.throws(() => shardItems(items(10), CFN_STACK_RESOURCE_LIMIT + 1), /from 1 to 500/);
    assert.throws(() => shardItems(items(10), 0), /from 1 to 500/);
  });

  it("gives no shard for no items", () => {
    assert.deepEqual(shardItems([]), []);
  });
});

describe("eventsShardLimit", () => {
  it("keeps an events stack under CloudFormation's 200 outputs, one exported topic per agent", () => {
    const agents = eventsShardLimit(450) / EVENTS_RESOURCES_PER_AGENT;
    assert.ok(agents < CFN_STACK_OUTPUT_LIMIT, `${agents} topics`);
    assert.equal(eventsShardLimit(100), 100);
  });
});
