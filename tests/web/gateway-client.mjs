// A stock graphql-ws client (the one Apollo and urql use), driven by the
// Rust test tests/api/aws/e2e.rs through the API Gateway emulator:
//   node gateway-client.mjs <ws url> <token> <group id>
// Prints one JSON line per thing it hears; "close" on stdin disposes it.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, group] = process.argv.slice(2);
const say = (value) => console.log(JSON.stringify(value));
const client = createClient({
  url: `${url}?token=${encodeURIComponent(token)}`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  lazy: false,
  retryAttempts: 0,
  on: {
    connected: () => say({ connected: true }),
    closed: (event) => say({ closed: event?.code ?? null }),
  },
});
const query = `subscription Live($g: ID!) {
  groupEvents(groupId: $g) { id type cursor message { id body author { id name } } }
}`;
client.subscribe(
  { query, variables: { g: group }, operationName: 'Live' },
  {
    next: (value) => say({ next: value }),
    error: (error) => say({ error: String(error?.message ?? JSON.stringify(error)) }),
    complete: () => say({ complete: true }),
  },
);
process.stdin.on('data', async (data) => {
  if (String(data).includes('close')) {
    await client.dispose();
    setTimeout(() => process.exit(0), 100);
  }
});
