// Live group events into the normalized cache: a new message joins its
// parent's connection, a membership moves between the applications and
// members lists, every other change is the event's own normalized
// message. No event causes a refetch. Typing indicators are kept apart
// (they expire), in `typing`.
import { useSubscription, type ApolloCache, type Reference } from "@apollo/client";
import { useSyncExternalStore } from "react";
import { GROUP_EVENTS } from "./operations";

type Edge = { __typename?: string; cursor: string; node: Reference };
type Connection = { edges: Edge[]; pageInfo: unknown };

/** Puts `node` at the end of a stored connection; if it is there, gives
 * its edge `cursor` (a message a mutation added before its event came
 * gets the event's real cursor). */
function place(existing: Connection | undefined, node: Reference, cursor: string, typename: string) {
  if (!existing) return existing;
  const at = existing.edges.findIndex((e) => e.node.__ref === node.__ref);
  if (at < 0) {
    return { ...existing, edges: [...existing.edges, { __typename: typename, cursor, node }] };
  }
  if (existing.edges[at].cursor === cursor) return existing;
  const edges = existing.edges.slice();
  edges[at] = { ...edges[at], cursor };
  return { ...existing, edges };
}

/** Adds a new message to its parent's connection (the group's messages,
 * or its parent message's replies), where that connection is loaded. */
export function addMessage(
  cache: ApolloCache<unknown>,
  message: { id: string; parent?: { id: string } | null },
  groupId: string,
  cursor: string,
) {
  const node = { __ref: cache.identify({ __typename: "Message", id: message.id })! };
  const parent = message.parent;
  if (parent) {
    cache.modify({
      id: cache.identify({ __typename: "Message", id: parent.id }),
      fields: { replies: (existing) => place(existing, node, cursor, "MessageEdge") },
    });
  } else {
    cache.modify({
      id: cache.identify({ __typename: "Group", id: groupId }),
      fields: { messages: (existing) => place(existing, node, cursor, "MessageEdge") },
    });
  }
}

function without(existing: Connection | undefined, ref: string) {
  if (!existing) return existing;
  return { ...existing, edges: existing.edges.filter((e) => e.node.__ref !== ref) };
}

// Who is typing where: group -> user -> { name, parentId, expires }.
type Typist = { name: string; parentId: string | null; expires: number };
const typists = new Map<string, Map<string, Typist>>();
const listeners = new Set<() => void>();
let version = 0;

function changed() {
  version += 1;
  listeners.forEach((l) => l());
}

export function useTypists(groupId: string, me: string): Typist[] {
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  const now = Date.now();
  return [...(typists.get(groupId) ?? new Map()).entries()]
    .filter(([user, t]) => user !== me && t.expires > now)
    .map(([, t]) => t);
}

setInterval(() => {
  const now = Date.now();
  let expired = false;
  typists.forEach((users) =>
    users.forEach((t, user) => {
      if (t.expires <= now) {
        users.delete(user);
        expired = true;
      }
    }),
  );
  if (expired) changed();
}, 1000);

/** Listens to one group's events for as long as the component lives. */
export function useGroupEvents(groupId: string, me: string, open: boolean) {
  useSubscription(GROUP_EVENTS, {
    variables: { g: groupId },
    onData: ({ client, data }) => {
      const event = data.data?.groupEvents;
      if (!event) return;
      const cache = client.cache as ApolloCache<unknown>;
      const groupRef = cache.identify({ __typename: "Group", id: groupId });
      if (event.type === "TYPING" && event.typing) {
        const users = typists.get(groupId) ?? new Map<string, Typist>();
        typists.set(groupId, users);
        if (event.typing.typing) {
          users.set(event.typing.user.id, {
            name: event.typing.user.name,
            parentId: event.typing.parentId ?? null,
            expires: Date.parse(event.typing.expiresAt),
          });
        } else {
          users.delete(event.typing.user.id);
        }
        changed();
        return;
      }
      if (event.type === "MESSAGE_POSTED" && event.message) {
        const message = event.message;
        addMessage(cache, message, groupId, event.cursor ?? message.id);
        const typing = typists.get(groupId);
        if (typing?.delete(message.author.id)) changed();
        if (!open && message.author.id !== me) {
          let first = false;
          cache.modify({
            id: groupRef,
            fields: {
              unreadCount: (n: number) => {
                first = n === 0;
                return n + 1;
              },
            },
          });
          cache.modify({
            id: "ROOT_QUERY",
            fields: {
              unreadSummary: (existing) => {
                const s = existing as unknown as { messages: number; groups: number };
                const next = { ...s, messages: s.messages + 1, groups: s.groups + (first ? 1 : 0) };
                return next as unknown as typeof existing;
              },
            },
          });
        }
      }
      if (event.type === "MEMBERSHIP_CHANGED" && event.membership) {
        const m = event.membership;
        const ref = { __ref: cache.identify({ __typename: "Membership", id: m.id })! };
        cache.modify({
          id: groupRef,
          fields: {
            applications: (existing) =>
              m.state === "APPLIED"
                ? place(existing, ref, m.id, "MembershipEdge")
                : without(existing, ref.__ref),
            members: (existing) =>
              m.state === "MEMBER"
                ? place(existing, ref, m.id, "MembershipEdge")
                : without(existing, ref.__ref),
          },
        });
      }
    },
  });
}
