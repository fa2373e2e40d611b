import { useLazyQuery, useMutation } from "@apollo/client";
import { useId, useState, type FormEvent } from "react";
import { useTypingSignal } from "./GroupView";
import { addMessage, useTypists } from "./live";
import type { MessageFieldsFragment } from "./gql/graphql";
import { ADD_REACTION, PIN, REMOVE_REACTION, REPLIES, REPLY, UNPIN } from "./operations";

const KEYS = ["👍", "❤️", "🎉"];

type Props = { message: MessageFieldsFragment; groupId: string; me: string; admin: boolean; member: boolean };

/** A message and, once opened, its replies: a branch at any depth. */
export function MessageItem({ message, groupId, me, admin, member }: Props) {
  const fieldId = useId();
  const [open, setOpen] = useState(false);
  const [replying, setReplying] = useState(false);
  const [body, setBody] = useState("");
  const [loadReplies, replies] = useLazyQuery(REPLIES, { variables: { id: message.id } });
  const [reply] = useMutation(REPLY);
  const [add] = useMutation(ADD_REACTION);
  const [remove] = useMutation(REMOVE_REACTION);
  const [pin] = useMutation(PIN);
  const [unpin] = useMutation(UNPIN);
  const typing = useTypingSignal(groupId, message.id);
  const typists = useTypists(groupId, me).filter((t) => t.parentId === message.id);
  const connection = replies.data?.message?.replies;

  const toggle = () => {
    if (!open && !replies.called) void loadReplies();
    setOpen(!open);
  };
  const send = async (e: FormEvent) => {
    e.preventDefault();
    await reply({
      variables: { p: message.id, body, cid: crypto.randomUUID() },
      update(cache, { data }) {
        if (data) addMessage(cache, data.replyToMessage, groupId, data.replyToMessage.id);
      },
    });
    setBody("");
    setReplying(false);
    if (!open) toggle();
  };
  const deleted = message.deletedAt != null;
  return (
    <li className="message" data-depth={message.depth} aria-label={`Message by ${message.author.name}`}>
      <div className="line">
        <strong>{message.author.name}</strong>{" "}
        {deleted ? <em className="muted">deleted</em> : <span className="body">{message.body}</span>}
        {message.pinnedAt && <span className="pin"> · pinned</span>}
      </div>
      {message.attachments.map((a) =>
        a.contentType.startsWith("image/") && a.url ? (
          <img key={a.id} src={a.url} alt={a.filename} width={a.width ?? undefined} height={a.height ?? undefined} className="preview" />
        ) : (
          <a key={a.id} href={a.url ?? undefined}>
            {a.filename}
          </a>
        ),
      )}
      {!deleted && (
        <div className="actions">
          {message.reactions.map((r) => (
            <button
              key={r.key}
              aria-pressed={r.viewerReacted}
              aria-label={`${r.key} ${r.count}`}
              onClick={() =>
                (r.viewerReacted ? remove : add)({ variables: { m: message.id, key: r.key } })
              }
            >
              {r.key} {r.count}
            </button>
          ))}
          {member &&
            KEYS.filter((k) => !message.reactions.some((r) => r.key === k)).map((k) => (
              <button key={k} aria-label={`React ${k}`} onClick={() => add({ variables: { m: message.id, key: k } })}>
                {k}
              </button>
            ))}
          {member && <button onClick={() => setReplying(!replying)}>Reply</button>}
          {admin &&
            (message.pinnedAt ? (
              <button onClick={() => unpin({ variables: { m: message.id } })}>Unpin</button>
            ) : (
              <button onClick={() => pin({ variables: { m: message.id } })}>Pin</button>
            ))}
        </div>
      )}
      {message.replyCount > 0 && (
        <button className="replies" aria-expanded={open} onClick={toggle}>
          {open ? "Hide" : "Show"} {message.replyCount} {message.replyCount === 1 ? "reply" : "replies"}
          {message.thread && message.thread.participantCount > 1 ? ` from ${message.thread.participantCount} people` : ""}
        </button>
      )}
      {typists.length > 0 && (
        <p className="typing">{typists.map((t) => `${t.name} is replying…`).join(" ")}</p>
      )}
      {replying && (
        <form onSubmit={send} className="composer">
          <label htmlFor={`${fieldId}-reply`}>Reply to {message.author.name}</label>
          <input
            id={`${fieldId}-reply`}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              typing();
            }}
          />
          <button type="submit" disabled={!body.trim()}>
            Send reply
          </button>
        </form>
      )}
      {open && connection && (
        <ol className="thread">
          {connection.edges.map(({ node }) => (
            <MessageItem key={node.id} message={node} groupId={groupId} me={me} admin={admin} member={member} />
          ))}
          {connection.pageInfo.hasNextPage && (
            <li>
              <button onClick={() => replies.fetchMore({ variables: { id: message.id, after: connection.pageInfo.endCursor } })}>
                More replies
              </button>
            </li>
          )}
        </ol>
      )}
    </li>
  );
}
