import { useMutation, useQuery } from "@apollo/client";
import { TextField } from "./Field";
import { useState, type FormEvent } from "react";
import type { View } from "./App";
import { useGroupEvents } from "./live";
import { CREATE_GROUP, MY_GROUPS } from "./operations";

/** Keeps one group's live events flowing into the cache while listed. */
function Listener({ id, me, open }: { id: string; me: string; open: boolean }) {
  useGroupEvents(id, me, open);
  return null;
}

export function Sidebar({ me, view, onView }: { me: string; view: View; onView: (v: View) => void }) {
  // Joining a group raises no event the joiner hears yet (events are for
  // members): the list is polled as well.
  const { data } = useQuery(MY_GROUPS, { variables: {}, pollInterval: 3000 });
  const [name, setName] = useState("");
  const [create] = useMutation(CREATE_GROUP, {
    update(cache, { data: created }) {
      const group = created?.createGroup;
      if (!group) return;
      cache.modify({
        fields: {
          myGroups(existing = { edges: [], pageInfo: {} }, { toReference }) {
            const node = toReference(group);
            return { ...existing, edges: [...existing.edges, { __typename: "GroupEdge", cursor: group.id, node }] };
          },
        },
      });
    },
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await create({ variables: { name } });
    setName("");
    if (created.data) onView({ kind: "group", id: created.data.createGroup.id });
  };
  const groups = data?.myGroups.edges.map((e) => e.node) ?? [];
  const openId = view.kind === "group" ? view.id : null;
  return (
    <nav className="side" aria-label="Groups">
      <h2>Groups</h2>
      <ul>
        {groups.map((g) => (
          <li key={g.id}>
            <Listener id={g.id} me={me} open={g.id === openId} />
            <button className={g.id === openId ? "current" : ""} aria-current={g.id === openId} onClick={() => onView({ kind: "group", id: g.id })}>
              {g.name}
              {g.unreadCount > 0 && (
                <span className="badge" aria-label={`${g.unreadCount} unread`}>
                  {g.unreadCount}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <TextField label="New group" value={name} onChange={setName} required />
        <button type="submit">Create</button>
      </form>
      <button onClick={() => onView({ kind: "discover" })}>Discover groups</button>
      <button onClick={() => onView({ kind: "search" })}>Search messages</button>
    </nav>
  );
}
