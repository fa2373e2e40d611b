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
    "# 1. Get a token:",
    "#      cargo run -- dev-token alice --name Alice",
    "# 2. Put it in the Headers pane below:",
    "#      {\"Authorization\": \"Bearer <token>\"}",
    "#    and re-fetch the schema (the circling arrows).",
    "# 3. Run this query. Subscriptions work here too:",
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
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: "headers",
      // A bearer token stays in this tab's memory, never in localStorage.
      shouldPersistHeaders: false,
      storage: storage,
    })
  );
})();
