// Every Cypher statement in cypher/ (schema ones included) passes Neo4j's
// own front end (@neo4j-cypher/language-support's lintCypherQuery): the
// test engine (kglite) accepts some things Neo4j 5 does not. Parameters
// are supplied at run time, so "Parameter $x is not defined" is not a
// finding; warnings (severity 2) are printed, errors fail.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const root = new URL("../../cypher/", import.meta.url);

function statements() {
  const files = readdirSync(root).filter((f) => f.endsWith(".cypher"));
  const schema = readdirSync(new URL("schema/", root)).map((f) => `schema/${f}`);
  return [...files, ...schema].map((name) => ({ name, text: readFileSync(new URL(name, root), "utf8") }));
}

function errors(text) {
  const found = lintCypherQuery(text, {});
  const list = Array.isArray(found) ? found : (found.diagnostics ?? []);
  for (const d of list.filter((d) => d.severity !== 1)) console.log(`  note: ${d.message.slice(0, 120)}`);
  return list.filter((d) => d.severity === 1 && !/^Parameter \$\w+ is not defined/.test(d.message));
}

test("the linter finds what Neo4j refuses", () => {
  assert.ok(errors("MATCH (n) RETURN n ORDER BY").length > 0);
  assert.ok(errors("MATCH (n:User {id: $id}) SET n.x = 1 RETURN n.x AS x ORDER BY x LIMIT -").length > 0);
});

test("every statement in cypher/ is valid Neo4j 5 Cypher", () => {
  const all = statements();
  assert.ok(all.length >= 40, `found ${all.length}`);
  const failing = all
    .map(({ name, text }) => ({ name, problems: errors(text).map((d) => d.message) }))
    .filter((r) => r.problems.length > 0);
  assert.deepEqual(failing, []);
});
