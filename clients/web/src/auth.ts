// Who is signed in, per browser tab (sessionStorage: two windows can be
// two people). Locally the token comes from the server's dev-token
// endpoint ("sign in as"); a deployed app would take Cognito's ID token.

const KEY = "chorus.session";

export interface Session {
  token: string;
  userId: string;
  name: string;
}

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export async function signInAs(userId: string, name: string): Promise<Session> {
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: userId, name }),
  });
  if (!response.ok) {
    throw new Error(`sign-in refused (${response.status}): ${await response.text()}`);
  }
  const { token } = (await response.json()) as { token: string };
  const session = { token, userId, name };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
