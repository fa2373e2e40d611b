import { useMutation, useQuery } from "@apollo/client";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { addMessage, useTypists } from "./live";
import { MessageItem } from "./MessageItem";
import { APPLICATIONS, CREATE_UPLOAD, DECIDE, GROUP, MARK_READ, ME, MESSAGES, POST, PRESENCE, REJECT, SET_TYPING } from "./operations";

/** Sends `typing: true` at most every 3 s while the user types. */
export function useTypingSignal(groupId: string, parentId: string | null) {
  const [setTyping] = useMutation(SET_TYPING);
  const last = useRef(0);
  return () => {
    const now = Date.now();
    if (now - last.current > 3000) {
      last.current = now;
      void setTyping({ variables: { g: groupId, p: parentId, typing: true } });
    }
  };
}

async function upload(
  file: File,
  groupId: string,
  createUpload: ReturnType<typeof useMutation<any, any>>[0],
): Promise<string> {
  const size = await new Promise<{ w?: number; h?: number }>((resolve) => {
    if (!file.type.startsWith("image/")) return resolve({});
    const img = new Image();
    img.onload = () => resolve({ w: img.naturalWidth, h: img.naturalHeight });
    img.onerror = () => resolve({});
    img.src = URL.createObjectURL(file);
  });
  const ticket = await createUpload({
    variables: { g: groupId, name: file.name, type: file.type, size: file.size, w: size.w, h: size.h },
  });
  const t = ticket.data!.createUpload;
  const headers = Object.fromEntries(t.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
  const put = await fetch(t.url, { method: t.method, headers, body: file });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  return t.attachment.id;
}

export function GroupView({ id, me }: { id: string; me: string }) {
  const group = useQuery(GROUP, { variables: { id } });
  useQuery(PRESENCE, { variables: { id }, pollInterval: 5000 });
  const messages = useQuery(MESSAGES, { variables: { id, last: 20 } });
  const [post] = useMutation(POST);
  const [createUpload] = useMutation(CREATE_UPLOAD);
  // What was read leaves the header's summary too (read again once, on
  // the viewer's own action).
  const [markRead] = useMutation(MARK_READ, { refetchQueries: [ME] });
  const [approve] = useMutation(DECIDE);
  const [reject] = useMutation(REJECT);
  const fieldId = useId();
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const typing = useTypingSignal(id, null);
  const typists = useTypists(id, me);
  const g = group.data?.group;
  const role = g?.viewerMembership?.role;
  const admin = role === "OWNER" || role === "ADMIN";
  const applications = useQuery(APPLICATIONS, { variables: { id }, skip: !admin });
  const pending = applications.data?.group?.applications.edges ?? [];
  const connection = messages.data?.group?.messages;
  const edges = connection?.edges ?? [];
  const newest = edges.length ? edges[edges.length - 1].node.id : null;
  const unread = g?.unreadCount ?? 0;

  // Mark read as the newest message is shown.
  useEffect(() => {
    if (newest && unread > 0 && !connection?.pageInfo.hasNextPage) {
      void markRead({ variables: { g: id, upTo: newest } });
    }
  }, [newest, unread, id, markRead, connection?.pageInfo.hasNextPage]);

  if (!g) return <p>{group.error ? group.error.message : "Loading…"}</p>;
  const member = g.viewerMembership?.state === "MEMBER";

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const ids = [];
      for (const file of files) ids.push(await upload(file, id, createUpload));
      await post({
        variables: { g: id, body, cid: crypto.randomUUID(), files: ids.length ? ids : null },
        update(cache, { data }) {
          // Shown at once; its event brings its cursor.
          if (data) addMessage(cache, data.postMessage, id, data.postMessage.id);
        },
      });
      setBody("");
      setFiles([]);
    } catch (err) {
      setError(String(err));
    }
  };

  return (
    <section className="group" aria-labelledby="group-title">
      <h2 id="group-title">{g.name}</h2>
      {g.description && <p>{g.description}</p>}
      <div className="panels">
        <section aria-label="Members">
          <h3>Members ({g.memberCount})</h3>
          <ul className="members">
            {g.members.edges.map(({ node: m }) => (
              <li key={m.id}>
                <span className={m.user.presence?.online ? "dot on" : "dot"} aria-hidden="true" />
                {m.user.name} <span className="muted">{m.user.presence?.online ? "online" : "offline"}</span>
                {m.role !== "MEMBER" && <span className="muted"> · {m.role?.toLowerCase()}</span>}
              </li>
            ))}
          </ul>
        </section>
        {g.pinnedMessages.edges.length > 0 && (
          <section aria-label="Pinned">
            <h3>Pinned</h3>
            <ul>
              {g.pinnedMessages.edges.map(({ node: p }) => (
                <li key={p.id}>
                  {p.author.name}: {p.body ?? "(deleted)"}
                </li>
              ))}
            </ul>
          </section>
        )}
        {admin && pending.length > 0 && (
          <section aria-label="Applications">
            <h3>Applications</h3>
            <ul>
              {pending.map(({ node: a }) => (
                <li key={a.id}>
                  {a.user.name} {a.note && <q>{a.note}</q>}{" "}
                  <button onClick={() => approve({ variables: { g: id, u: a.user.id } })}>Approve {a.user.name}</button>{" "}
                  <button onClick={() => reject({ variables: { g: id, u: a.user.id } })}>Reject {a.user.name}</button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      <section aria-label="Messages" className="messages">
        {connection?.pageInfo.hasPreviousPage && (
          <button
            onClick={() =>
              messages.fetchMore({ variables: { id, last: 20, before: connection.pageInfo.startCursor } })
            }
          >
            Load older messages
          </button>
        )}
        <ol className="thread">
          {edges.map(({ node }) => (
            <MessageItem key={node.id} message={node} groupId={id} me={me} admin={admin} member={member} />
          ))}
        </ol>
        {connection?.pageInfo.hasNextPage && (
          <button
            onClick={() => messages.fetchMore({ variables: { id, first: 20, after: connection.pageInfo.endCursor } })}
          >
            Load newer messages
          </button>
        )}
      </section>
      <p className="typing" aria-live="polite">
        {typists.filter((t) => !t.parentId).map((t) => `${t.name} is typing…`).join(" ")}
      </p>
      {member && (
        <form onSubmit={send} className="composer">
          {/* Not wrapped: a label holding a text box names it with its text too. */}
          <label htmlFor={`${fieldId}-body`}>Message</label>
          <textarea
            id={`${fieldId}-body`}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              typing();
            }}
          />
          <label htmlFor={`${fieldId}-files`}>Attach files</label>
          <input
            id={`${fieldId}-files`}
            type="file"
            multiple
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
          <button type="submit" disabled={!body.trim() && files.length === 0}>
            Send
          </button>
          {error && <p role="alert">{error}</p>}
        </form>
      )}
    </section>
  );
}
