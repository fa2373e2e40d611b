// One Apollo Client per session: queries and mutations over HTTP, the
// group events over graphql-ws, and a normalized cache whose connections
// page both ways (relayStylePagination) and that live events update in
// place.
import { ApolloClient, HttpLink, InMemoryCache, split } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { relayStylePagination, getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import type { Session } from "./auth";

export function makeCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          myGroups: relayStylePagination(),
          group: { read: (_, { args, toReference }) => toReference({ __typename: "Group", id: args?.id }) },
          message: { read: (_, { args, toReference }) => toReference({ __typename: "Message", id: args?.id }) },
          searchMessages: { keyArgs: ["query", "groupId"] },
          searchGroups: { keyArgs: ["query"] },
        },
      },
      Group: {
        fields: {
          messages: relayStylePagination(),
          applications: relayStylePagination(),
          members: relayStylePagination(),
          pinnedMessages: relayStylePagination(),
        },
      },
      Message: {
        fields: {
          replies: relayStylePagination(),
          reactions: { merge: false },
          attachments: { merge: false },
          ancestors: { merge: false },
        },
      },
      ThreadSummary: { merge: true },
      Presence: { merge: true },
      Membership: { keyFields: ["id"] },
    },
  });
}

export function makeClient(session: Session): ApolloClient<unknown> {
  const http = new HttpLink({
    uri: "/graphql",
    headers: { authorization: `Bearer ${session.token}` },
  });
  const url = new URL("/graphql", window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new GraphQLWsLink(
    createClient({
      url: url.toString(),
      connectionParams: { authorization: `Bearer ${session.token}` },
      retryAttempts: Infinity,
      shouldRetry: () => true,
    }),
  );
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    ws,
    http,
  );
  return new ApolloClient({ link, cache: makeCache() });
}
