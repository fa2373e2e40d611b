import { useLazyQuery, useMutation } from "@apollo/client";
import { TextField } from "./Field";
import { useState, type FormEvent } from "react";
import { APPLY, DISCOVER, SEARCH } from "./operations";

/** Messages found in the viewer's groups, each with its path in the tree. */
export function Search({ onOpen }: { onOpen: (groupId: string) => void }) {
  const [q, setQ] = useState("");
  const [run, { data, error }] = useLazyQuery(SEARCH);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run({ variables: { q } });
  };
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">Search messages</h2>
      <form onSubmit={submit} role="search">
        <TextField label="Words" value={q} onChange={setQ} required />
        <button type="submit">Search</button>
      </form>
      {error && <p role="alert">{error.message}</p>}
      <ol className="hits">
        {data?.searchMessages.edges.map(({ node, snippet }) => (
          <li key={node.id}>
            <p className="path">
              {node.group.name}
              {node.ancestors.map((a) => ` › ${a.body ?? "(deleted)"}`).join("")}
            </p>
            <p>
              <strong>{node.author.name}</strong>: {snippet}
            </p>
            <button onClick={() => onOpen(node.group.id)}>Open {node.group.name}</button>
          </li>
        ))}
      </ol>
      {data && data.searchMessages.edges.length === 0 && <p>Nothing found.</p>}
    </section>
  );
}

/** Groups to join: found by name or description, with "Apply". */
export function Discover() {
  const [q, setQ] = useState("");
  const [note, setNote] = useState("");
  const [run, { data, error }] = useLazyQuery(DISCOVER);
  const [apply] = useMutation(APPLY);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run({ variables: { q } });
  };
  return (
    <section aria-labelledby="discover-title">
      <h2 id="discover-title">Discover groups</h2>
      <form onSubmit={submit} role="search">
        <TextField label="Group name" value={q} onChange={setQ} required />
        <button type="submit">Find</button>
      </form>
      {error && <p role="alert">{error.message}</p>}
      <TextField label="Note with your application" value={note} onChange={setNote} />
      <ul>
        {data?.searchGroups.edges.map(({ node }) => (
          <li key={node.id}>
            <strong>{node.name}</strong> ({node.memberCount} members) {node.description}{" "}
            {node.viewerMembership?.state === "MEMBER" ? (
              <span>member</span>
            ) : node.viewerMembership?.state === "APPLIED" ? (
              <span>applied</span>
            ) : (
              <button onClick={() => apply({ variables: { g: node.id, note: note || null } })}>
                Apply to {node.name}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
