// Every operation the app sends: typed by GraphQL Code Generator from the
// server's schema (src/gql, made by `npm run codegen`). A React Native app
// can take this file, `apollo.ts`'s cache policies and `live.ts` as they
// are.
import { graphql } from "./gql";

export const MESSAGE_FIELDS = graphql(`
  fragment MessageFields on Message {
    id
    body
    depth
    replyCount
    createdAt
    editedAt
    deletedAt
    pinnedAt
    parent { id }
    author { id name }
    reactions { key count viewerReacted }
    attachments { id filename contentType url width height }
    thread { replyCount participantCount lastReplyAt viewerHasUnread }
  }
`);

export const ME = graphql(`
  query Me {
    me { id name }
    unreadSummary { groups messages mentions }
  }
`);

export const MY_GROUPS = graphql(`
  query MyGroups($after: String) {
    myGroups(first: 50, after: $after) {
      edges {
        cursor
        node {
          id
          name
          memberCount
          unreadCount
          unreadMentionCount
          viewerMembership { id role state }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const DISCOVER = graphql(`
  query Discover($q: String!) {
    searchGroups(query: $q, first: 20) {
      edges { node { id name description memberCount viewerMembership { id state } } }
    }
  }
`);

export const CREATE_GROUP = graphql(`
  mutation CreateGroup($name: String!, $description: String) {
    createGroup(input: { name: $name, description: $description }) {
      id
      name
      memberCount
      unreadCount
      unreadMentionCount
      viewerMembership { id role state }
    }
  }
`);

export const APPLY = graphql(`
  mutation Apply($g: ID!, $note: String) {
    applyToGroup(groupId: $g, note: $note) { id state group { id viewerMembership { id state } } }
  }
`);

export const DECIDE = graphql(`
  mutation Approve($g: ID!, $u: ID!) {
    approveApplication(groupId: $g, userId: $u) { id state role user { id name } group { id memberCount } }
  }
`);

export const REJECT = graphql(`
  mutation Reject($g: ID!, $u: ID!) {
    rejectApplication(groupId: $g, userId: $u) { id state }
  }
`);

export const GROUP = graphql(`
  query Group($id: ID!) {
    group(id: $id) {
      id
      name
      description
      memberCount
      unreadCount
      slowModeSeconds
      viewerMembership { id role state }
      pinnedMessages(first: 10) { edges { cursor node { id body pinnedAt author { id name } } } pageInfo { hasNextPage endCursor } }
      members(first: 50) {
        edges { cursor node { id role user { id name presence { online lastSeenAt } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

/** For the group's owners and admins only (others get FORBIDDEN). */
export const APPLICATIONS = graphql(`
  query Applications($id: ID!) {
    group(id: $id) {
      id
      applications(first: 20) {
        edges { cursor node { id note user { id name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const PRESENCE = graphql(`
  query Presence($id: ID!) {
    group(id: $id) {
      id
      members(first: 50) {
        edges { cursor node { id user { id presence { online lastSeenAt } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const MESSAGES = graphql(`
  query Messages($id: ID!, $last: Int, $before: String, $first: Int, $after: String) {
    group(id: $id) {
      id
      messages(last: $last, before: $before, first: $first, after: $after) {
        edges { cursor node { ...MessageFields } }
        pageInfo { hasPreviousPage startCursor hasNextPage endCursor }
      }
    }
  }
`);

export const REPLIES = graphql(`
  query Replies($id: ID!, $after: String) {
    message(id: $id) {
      id
      replies(first: 20, after: $after) {
        edges { cursor node { ...MessageFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const POST = graphql(`
  mutation Post($g: ID!, $body: String!, $cid: String, $files: [ID!]) {
    postMessage(input: { groupId: $g, body: $body, clientMessageId: $cid, attachmentIds: $files }) {
      ...MessageFields
    }
  }
`);

export const REPLY = graphql(`
  mutation Reply($p: ID!, $body: String!, $cid: String) {
    replyToMessage(input: { parentId: $p, body: $body, clientMessageId: $cid }) {
      ...MessageFields
      parent { id replyCount thread { replyCount participantCount lastReplyAt viewerHasUnread } }
    }
  }
`);

export const ADD_REACTION = graphql(`
  mutation AddReaction($m: ID!, $key: String!) {
    addReaction(messageId: $m, key: $key) { id reactions { key count viewerReacted } }
  }
`);

export const REMOVE_REACTION = graphql(`
  mutation RemoveReaction($m: ID!, $key: String!) {
    removeReaction(messageId: $m, key: $key) { id reactions { key count viewerReacted } }
  }
`);

export const PIN = graphql(`
  mutation Pin($m: ID!) { pinMessage(id: $m) { id pinnedAt } }
`);

export const UNPIN = graphql(`
  mutation Unpin($m: ID!) { unpinMessage(id: $m) { id pinnedAt } }
`);

export const CREATE_UPLOAD = graphql(`
  mutation CreateUpload($g: ID!, $name: String!, $type: String!, $size: Int!, $w: Int, $h: Int) {
    createUpload(input: { groupId: $g, filename: $name, contentType: $type, size: $size, width: $w, height: $h }) {
      url
      method
      headers { name value }
      attachment { id filename contentType url }
    }
  }
`);

export const MARK_READ = graphql(`
  mutation MarkRead($g: ID!, $upTo: ID!) {
    markRead(groupId: $g, upTo: $upTo) { id group { id unreadCount unreadMentionCount } }
  }
`);

export const SET_TYPING = graphql(`
  mutation SetTyping($g: ID!, $p: ID, $typing: Boolean!) {
    setTyping(groupId: $g, parentId: $p, typing: $typing)
  }
`);

export const SEARCH = graphql(`
  query Search($q: String!) {
    searchMessages(query: $q, first: 20) {
      edges {
        cursor
        snippet
        node {
          id
          body
          author { id name }
          group { id name }
          ancestors(last: 10) { id body }
        }
      }
    }
  }
`);

export const GROUP_EVENTS = graphql(`
  subscription GroupEvents($g: ID!) {
    groupEvents(groupId: $g) {
      id
      type
      cursor
      message {
        ...MessageFields
        parent { id replyCount thread { replyCount participantCount lastReplyAt viewerHasUnread } }
      }
      membership { id state role user { id name } }
      typing { user { id name } typing parentId expiresAt }
    }
  }
`);
