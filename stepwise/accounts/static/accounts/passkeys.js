// Passkeys as the second step of signing in (ADR 17): adds one, or uses one after the password.
// The server's options come as JSON with binary fields in base64url (py_webauthn); the browser's
// answer goes back the same way. A file of our own, loaded with the page's nonce.
const ERRORS = {
  NotAllowedError: "The passkey was not used. Try again, or use another way below.",
  InvalidStateError: "This device already has a passkey for your Stepwise account.",
  SecurityError: "Passkeys cannot be used at this address.",
};
const FAILED = "Something went wrong with the passkey. Try again, or use another way below.";

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0)).buffer;
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function creationOptions(options) {
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    user: { ...options.user, id: fromBase64url(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) })),
  };
}

function requestOptions(options) {
  return {
    ...options,
    challenge: fromBase64url(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) })),
  };
}

function credentialJSON(credential) {
  const response = credential.response;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = response.getTransports ? response.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
  }
  return json;
}

async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body || {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const problem = new Error(FAILED);
    problem.code = data.code;
    throw problem;
  }
  return data;
}

async function ceremony(box) {
  const token = box.querySelector('input[name="csrfmiddlewaretoken"]').value;
  const options = await post(box.dataset.begin, token);
  const credential =
    box.dataset.passkey === "add"
      ? await navigator.credentials.create({ publicKey: creationOptions(options) })
      : await navigator.credentials.get({ publicKey: requestOptions(options) });
  const done = await post(box.dataset.complete, token, credentialJSON(credential));
  window.location.assign(done.redirect_url);
}

for (const box of document.querySelectorAll("[data-passkey]")) {
  const unavailable = box.querySelector("[data-passkey-unavailable]");
  const start = box.querySelector("[data-passkey-start]");
  const error = box.querySelector("[data-passkey-error]");
  if (!window.PublicKeyCredential || !navigator.credentials || !window.isSecureContext) {
    unavailable.textContent = "This browser cannot use passkeys here. Use another way on this page.";
    continue;
  }
  unavailable.hidden = true;
  start.hidden = false;
  start.addEventListener("click", async () => {
    start.disabled = true;
    error.hidden = true;
    try {
      await ceremony(box);
    } catch (problem) {
      // Ten minutes or more since the password: the page asks for it and comes back here.
      if (problem.code === "password_not_confirmed") return window.location.reload();
      error.textContent = ERRORS[problem.name] || (problem.name === "Error" && problem.message) || FAILED;
      error.hidden = false;
      start.disabled = false;
    }
  });
}
