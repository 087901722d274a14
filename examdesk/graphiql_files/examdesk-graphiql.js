// examdesk's GraphiQL page: a sign-in panel above GraphiQL, and a fetcher that sends the
// session's token as `Authorization: Bearer` on every request GraphiQL makes.
//
// The token lives in sessionStorage (this tab only, gone when it closes). The password is read
// from its field once, posted in a request body and cleared: it never reaches the URL, the
// history or any storage. GraphiQL itself keeps its tabs, variables, headers and history in
// memory only, since a signIn typed into its editor would otherwise leave a password in
// localStorage; and nothing here writes the query or variables into the address bar.
(function () {
  "use strict";

  // GraphiQL is served on a GET of the endpoint itself.
  const ENDPOINT = window.location.pathname;
  const SESSION_KEY = "examdesk.graphiql.session";
  const DEFAULT_QUERY = [
    "# Sign in above: the token is then sent with every request from this page.",
    "# The docs (the book icon on the left) list every type and field.",
    "{",
    "  me {",
    "    user {",
    "      email",
    "      fullName",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  const ERRORS = "errors { code field message }";
  const SIGN_IN =
    "mutation GraphiQLSignIn($input: SignInInput!) { signIn(input: $input) " +
    `{ token stage user { email fullName } ${ERRORS} } }`;
  const SET_NEW_PASSWORD =
    "mutation GraphiQLSetNewPassword($input: SetNewPasswordInput!) " +
    `{ setNewPassword(input: $input) { stage ${ERRORS} } }`;
  const VERIFY_EMAIL_CODE =
    "mutation GraphiQLVerifyEmailCode($input: CodeInput!) " +
    `{ verifyEmailCode(input: $input) { stage ${ERRORS} } }`;
  const VERIFY_TOTP_CODE =
    "mutation GraphiQLVerifyTotpCode($input: CodeInput!) " +
    `{ verifyTotpCode(input: $input) { stage ${ERRORS} } }`;
  const RESEND_CODE = `mutation GraphiQLResendCode { resendVerificationCode { ok message ${ERRORS} } }`;
  const SIGN_OUT = `mutation GraphiQLSignOut { signOut { ok ${ERRORS} } }`;
  const WHO_AM_I = "query GraphiQLWhoAmI { me { user { email fullName } } }";

  const element = (id) => document.getElementById(id);

  function memoryStorage() {
    const items = new Map();
    return {
      getItem: (key) => (items.has(key) ? items.get(key) : null),
      setItem: (key, value) => items.set(key, String(value)),
      removeItem: (key) => items.delete(key),
      clear: () => items.clear(),
      get length() {
        return items.size;
      },
    };
  }

  function session() {
    try {
      return JSON.parse(window.sessionStorage.getItem(SESSION_KEY));
    } catch {
      return null;
    }
  }

  function keep(value) {
    if (value) {
      window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
    } else {
      window.sessionStorage.removeItem(SESSION_KEY);
    }
    show();
    renderGraphiQL();
  }

  function say(text, ok) {
    const message = element("message");
    message.textContent = text || "";
    message.classList.toggle("examdesk-ok", Boolean(ok));
  }

  // One GraphQL request (`body`: query, variables, operationName) to this server.
  async function send(body, token, extraHeaders) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    Object.assign(headers, extraHeaders || {});
    const response = await window.fetch(ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    return response.json();
  }

  function post(query, variables, token) {
    return send(variables ? { query, variables } : { query }, token);
  }

  // The payload of a sign-in step's mutation, or null after saying what went wrong.
  async function step(query, variables, token) {
    let result;
    try {
      result = await post(query, variables, token);
    } catch (error) {
      say(`The server could not be reached (${error.message}).`);
      return null;
    }
    if (result.errors && result.errors.length) {
      say(result.errors.map((e) => e.message).join(" "));
      return null;
    }
    const payload = Object.values(result.data || {})[0];
    if (!payload) {
      say("The server gave no answer.");
      return null;
    }
    if (payload.errors && payload.errors.length) {
      say(payload.errors.map((e) => e.message).join(" "));
      return null;
    }
    return payload;
  }

  function show() {
    const current = session();
    const stage = current ? current.stage : null;
    element("sign-in").hidden = Boolean(current);
    element("new-password").hidden = stage !== "PASSWORD_CHANGE_REQUIRED";
    element("code").hidden = stage !== "VERIFICATION_REQUIRED" && stage !== "TOTP_REQUIRED";
    element("resend").hidden = stage !== "VERIFICATION_REQUIRED";
    element("code-label").textContent =
      stage === "TOTP_REQUIRED" ? "Authenticator app code" : "Emailed code";
    element("signed-in").hidden = stage !== "FULL";
    element("who").textContent = current
      ? current.name
        ? `${current.name} (${current.email})`
        : current.email
      : "";
  }

  async function signIn(event) {
    event.preventDefault();
    const email = element("email").value.trim();
    const password = element("password");
    const input = { email, password: password.value };
    password.value = "";
    say("Signing in…", true);
    const payload = await step(SIGN_IN, { input });
    if (!payload) {
      return;
    }
    const user = payload.user || { email, fullName: "" };
    say(payload.stage === "FULL" ? "" : nextStep(payload.stage), true);
    keep({ token: payload.token, stage: payload.stage, email: user.email, name: user.fullName });
  }

  function nextStep(stage) {
    return {
      PASSWORD_CHANGE_REQUIRED: "Choose your own password to go on.",
      VERIFICATION_REQUIRED: "A code has been emailed to you: enter it to finish signing in.",
      TOTP_REQUIRED: "Enter the code your authenticator app shows.",
    }[stage];
  }

  async function advance(query, variables) {
    const current = session();
    const payload = await step(query, variables, current.token);
    if (payload) {
      say(payload.stage === "FULL" ? "" : nextStep(payload.stage), true);
      keep({ ...current, stage: payload.stage });
    }
  }

  async function setNewPassword(event) {
    event.preventDefault();
    const field = element("new-password-input");
    const input = { newPassword: field.value };
    field.value = "";
    await advance(SET_NEW_PASSWORD, { input });
  }

  async function verifyCode(event) {
    event.preventDefault();
    const field = element("code-input");
    const input = { code: field.value.trim() };
    field.value = "";
    const totp = session().stage === "TOTP_REQUIRED";
    await advance(totp ? VERIFY_TOTP_CODE : VERIFY_EMAIL_CODE, { input });
  }

  async function resendCode() {
    const payload = await step(RESEND_CODE, null, session().token);
    if (payload) {
      say(payload.message || "Another code has been emailed.", true);
    }
  }

  async function signOut() {
    const current = session();
    if (current) {
      // Signed out here whatever the server says: the token is forgotten either way.
      await step(SIGN_OUT, null, current.token);
    }
    say("Signed out.", true);
    keep(null);
  }

  // A session from before a reload may have ended meanwhile (expired, or signed out elsewhere).
  async function checkSession() {
    const current = session();
    if (!current || current.stage !== "FULL") {
      return;
    }
    try {
      const result = await post(WHO_AM_I, null, current.token);
      const code = result.errors && result.errors[0].extensions && result.errors[0].extensions.code;
      if (code === "UNAUTHENTICATED") {
        say("Your session has ended: sign in again.");
        keep(null);
      }
    } catch {
      // Offline for a moment: the next request will tell.
    }
  }

  // GraphiQL's fetcher: the headers pane's own Authorization, if any, wins over the session's.
  function fetcherFor(token) {
    return function fetcher(params, options) {
      const headers = (options && options.headers) || {};
      const named = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
      return send(params, named ? null : token, headers);
    };
  }

  const storage = memoryStorage();

  function Page(props) {
    const React = window.React;
    const [query, setQuery] = React.useState(DEFAULT_QUERY);
    const explorer = window.GraphiQLPluginExplorer.useExplorerPlugin({ query, onEdit: setQuery });
    // A new fetcher when the token changes: GraphiQL then loads the schema again, as the
    // signed-in person may see it.
    const fetcher = React.useMemo(() => fetcherFor(props.token), [props.token]);
    return React.createElement(window.GraphiQL, {
      fetcher,
      query,
      onEditQuery: setQuery,
      plugins: [explorer],
      storage,
      shouldPersistHeaders: false,
    });
  }

  function renderGraphiQL() {
    const current = session();
    window.ReactDOM.render(
      window.React.createElement(Page, { token: current ? current.token : null }),
      element("graphiql"),
    );
  }

  element("sign-in").addEventListener("submit", signIn);
  element("new-password").addEventListener("submit", setNewPassword);
  element("code").addEventListener("submit", verifyCode);
  element("resend").addEventListener("click", resendCode);
  element("sign-out").addEventListener("click", signOut);
  element("cancel-new-password").addEventListener("click", signOut);
  element("cancel-code").addEventListener("click", signOut);
  show();
  renderGraphiQL();
  checkSession();
})();
