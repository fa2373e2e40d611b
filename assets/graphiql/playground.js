// chorus's GraphiQL: queries and mutations over HTTP, subscriptions over
// graphql-transport-ws (graphql-ws), both carrying the Authorization header
// set in the Headers pane (the socket sends it in connection_init).
(function () {
  var url = new URL("/graphql", window.location.href).href;
  var wsUrl = url.replace(/^http/, "ws");

  function authorization(headers) {
    var found = "";
    Object.keys(headers || {}).forEach(function (name) {
      if (name.toLowerCase() === "authorization") found = String(headers[name]);
    });
    return found;
  }

  // One fetcher (and one socket) per Authorization value: changing the
  // header in the pane opens a socket as the new user.
  var fetchers = {};
  function fetcher(params, opts) {
    var auth = authorization(opts && opts.headers);
    if (!fetchers[auth]) {
      var wsClient = graphqlWs.createClient({
        url: wsUrl,
        lazy: true,
        connectionParams: auth ? { authorization: auth } : {},
      });
      fetchers[auth] = GraphiQL.createFetcher({ url: url, wsClient: wsClient });
    }
    return fetchers[auth](params, opts);
  }

  var defaultQuery = [
    "# Welcome to chorus.",
    "#",
    "# 1. Sign in: type a user id in \"Sign in as\" above and press the",
    "#    button (the local server signs its own tokens), or get a token",
    "#    with `cargo run -- dev-token alice --name Alice` and put it in the",
    "#    Headers pane: {\"Authorization\": \"Bearer <token>\"}.",
    "# 2. Run this query. Subscriptions work here too:",
    "#      subscription { groupEvents(groupId: \"g_...\") {",
    "#        id type message { body } } }",
    "",
    "query Me {",
    "  me {",
    "    id",
    "    name",
    "  }",
    "}",
    "",
  ].join("\n");

  // GraphiQL keeps tabs and history in localStorage, each with its
  // headers; this storage keeps them without any headers, so a bearer
  // token lives only in the tab's memory.
  function withoutHeaders(value) {
    if (Array.isArray(value)) return value.map(withoutHeaders);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) {
        // A tab's `hash` joins its query, variables and headers.
        out[key] = key === "headers" || key === "hash" ? null : withoutHeaders(value[key]);
      });
      return out;
    }
    return value;
  }
  var storage = {
    getItem: function (key) { return window.localStorage.getItem(key); },
    setItem: function (key, value) {
      if (/headers/i.test(key)) return;
      try {
        value = JSON.stringify(withoutHeaders(JSON.parse(value)));
      } catch (e) {
        if (/bearer/i.test(String(value))) return;
      }
      window.localStorage.setItem(key, value);
    },
    removeItem: function (key) { window.localStorage.removeItem(key); },
    clear: function () { window.localStorage.clear(); },
    get length() { return window.localStorage.length; },
  };

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  function render(signedIn) {
    root.render(
      React.createElement(GraphiQL, {
        // Signing in as someone else starts the editor again with their
        // header (and opens their socket).
        key: signedIn ? signedIn.user : "anonymous",
        fetcher: fetcher,
        defaultQuery: defaultQuery,
        headers: signedIn
          ? JSON.stringify({ Authorization: "Bearer " + signedIn.token }, null, 2)
          : undefined,
        defaultEditorToolsVisibility: "headers",
        // A bearer token stays in this tab's memory, never in localStorage.
        shouldPersistHeaders: false,
        storage: storage,
      })
    );
  }
  render(null);

  // "Sign in as": the local server's dev-token endpoint (only while it
  // signs with the built-in dev secret; never on Lambda).
  var form = document.getElementById("signin");
  var status = document.getElementById("signin-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var user = document.getElementById("signin-user").value.trim();
    if (!user) return;
    fetch("/dev/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: user, name: user }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error("sign-in as is off on this server (" + response.status + ")");
        return response.json();
      })
      .then(function (body) {
        status.textContent = "Signed in as " + user;
        render({ user: user, token: body.token });
      })
      .catch(function (err) {
        status.textContent = String(err.message || err);
      });
  });
})();
