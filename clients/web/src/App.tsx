import { ApolloProvider, useQuery } from "@apollo/client";
import { TextField } from "./Field";
import { useMemo, useState, type FormEvent } from "react";
import { makeClient } from "./apollo";
import { currentSession, signInAs, signOut, type Session } from "./auth";
import { ME } from "./operations";
import { Sidebar } from "./Sidebar";
import { GroupView } from "./GroupView";
import { Discover, Search } from "./Search";

export type View = { kind: "group"; id: string } | { kind: "search" } | { kind: "discover" } | { kind: "home" };

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [user, setUser] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSignedIn(await signInAs(user.trim(), name.trim() || user.trim()));
    } catch (err) {
      setError(String(err));
    }
  };
  return (
    <main className="signin">
      <h1>chorus</h1>
      <p>Sign in as anyone: this local server signs its own tokens.</p>
      <form onSubmit={submit}>
        <TextField label="User id" value={user} onChange={setUser} required />
        <TextField label="Display name" value={name} onChange={setName} />
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert">{error}</p>}
    </main>
  );
}

function Chat({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [view, setView] = useState<View>({ kind: "home" });
  const { data } = useQuery(ME);
  const unread = data?.unreadSummary;
  return (
    <div className="chat">
      <header className="top">
        <h1>chorus</h1>
        <span aria-label="unread">
          {unread ? `${unread.messages} unread in ${unread.groups} groups` : ""}
        </span>
        <span className="me">Signed in as {data?.me.name ?? session.name}</span>
        <button onClick={onSignOut}>Sign out</button>
      </header>
      <Sidebar me={session.userId} view={view} onView={setView} />
      <main className="main">
        {view.kind === "group" && <GroupView key={view.id} id={view.id} me={session.userId} />}
        {view.kind === "search" && <Search onOpen={(id) => setView({ kind: "group", id })} />}
        {view.kind === "discover" && <Discover />}
        {view.kind === "home" && <p>Pick a group, find one to join, or create your own.</p>}
      </main>
    </div>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession());
  const client = useMemo(() => (session ? makeClient(session) : null), [session]);
  if (!session || !client) return <SignIn onSignedIn={setSession} />;
  return (
    <ApolloProvider client={client}>
      <Chat
        session={session}
        onSignOut={() => {
          signOut();
          client.stop();
          setSession(null);
        }}
      />
    </ApolloProvider>
  );
}
