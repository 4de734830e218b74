// The signing page's passkey button (WebAuthn). Without script, or without passkeys in this
// browser, the section stays hidden and the email code signs as before.
(function () {
  "use strict";
  var section = document.getElementById("passkey-section");
  if (!section || !window.PublicKeyCredential || !navigator.credentials) { return; }
  var button = document.getElementById("passkey-button");
  var status = document.getElementById("passkey-status");
  var base = section.getAttribute("data-action");
  var csrf = section.getAttribute("data-csrf");
  section.hidden = false;

  function bytes(text) {
    var plain = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(plain.length);
    for (var i = 0; i < plain.length; i++) { out[i] = plain.charCodeAt(i); }
    return out.buffer;
  }
  function text(buffer) {
    var view = new Uint8Array(buffer), plain = "";
    for (var i = 0; i < view.length; i++) { plain += String.fromCharCode(view[i]); }
    return btoa(plain).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(step, payload) {
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("payload", JSON.stringify(payload || {}));
    return fetch(base + step, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) { throw new Error(answer.error || response.statusText); }
          return answer;
        });
      });
  }
  function register(options) {
    var code = (document.getElementById("code") || {}).value || "";
    if (!code.trim()) { return Promise.reject(new Error(section.getAttribute("data-first-time"))); }
    return navigator.credentials.create({ publicKey: {
      rp: { id: options.rp_id, name: document.title },
      user: { id: bytes(options.user_id), name: options.user_name, displayName: options.user_name },
      challenge: bytes(options.registration_challenge),
      pubKeyCredParams: options.algorithms.map(function (alg) { return { type: "public-key", alg: alg }; }),
      authenticatorSelection: { userVerification: "preferred" },
      attestation: "none"
    } }).then(function (credential) {
      var response = credential.response;
      return post("register", {
        credential_id: text(credential.rawId),
        public_key: text(response.getPublicKey()),
        algorithm: response.getPublicKeyAlgorithm(),
        authenticator_data: text(response.getAuthenticatorData()),
        client_data_json: text(response.clientDataJSON),
        code: code
      }).then(function () { return [text(credential.rawId)]; });
    });
  }
  function sign(options, ids) {
    return navigator.credentials.get({ publicKey: {
      challenge: bytes(options.challenge),
      rpId: options.rp_id,
      allowCredentials: ids.map(function (id) { return { type: "public-key", id: bytes(id) }; }),
      userVerification: "preferred"
    } }).then(function (assertion) {
      var response = assertion.response;
      return post("sign", {
        credential_id: text(assertion.rawId),
        authenticator_data: text(response.authenticatorData),
        client_data_json: text(response.clientDataJSON),
        signature: text(response.signature)
      });
    });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = section.getAttribute("data-working");
    post("options").then(function (options) {
      var ids = options.credential_ids;
      return (ids.length ? Promise.resolve(ids) : register(options)).then(function (known) {
        return sign(options, known);
      });
    }).then(function (answer) {
      document.getElementById("signing-forms").hidden = true;
      document.getElementById("decline-section").hidden = true;
      document.getElementById("passkey-or").hidden = true;
      button.hidden = true;
      status.textContent = answer.message;
      status.setAttribute("data-signed", "yes");
    }).catch(function (error) {
      button.disabled = false;
      status.textContent = error.message || String(error);
    });
  });
}());
