// Anti-robot proof of work of the protected forms (challenge.py on the server): find the nonce
// whose SHA-256(salt + nonce) starts with `difficulty` zero bits with the browser's Web Crypto,
// in batches separated by a timer so that the page stays responsive, then put
// "<challenge>.<nonce>" in the form's hidden field. Nothing leaves the page but that answer.
(function () {
  "use strict";
  var BATCH = 1024;
  // Margin before expiry after which a challenge is renewed rather than sent.
  var MARGIN_MS = 5000;
  var subtle = window.crypto && window.crypto.subtle;

  function startsWithZeroBits(bytes, bits) {
    var index = 0;
    for (; bits >= 8; bits -= 8, index += 1) {
      if (bytes[index] !== 0) { return false; }
    }
    return bits === 0 || (bytes[index] >> (8 - bits)) === 0;
  }

  function solve(salt, difficulty) {
    var encoder = new TextEncoder();
    return new Promise(function (resolve, reject) {
      function batch(start) {
        var digests = [];
        for (var nonce = start; nonce < start + BATCH; nonce += 1) {
          digests.push(subtle.digest("SHA-256", encoder.encode(salt + nonce)));
        }
        Promise.all(digests).then(function (results) {
          for (var index = 0; index < results.length; index += 1) {
            if (startsWithZeroBits(new Uint8Array(results[index]), difficulty)) {
              resolve(start + index);
              return;
            }
          }
          setTimeout(function () { batch(start + BATCH); }, 0);
        }, reject);
      }
      batch(0);
    });
  }

  function protect(box) {
    var form = box.closest("form");
    var field = box.querySelector("input[type=hidden]");
    var status = box.querySelector("[role=status]");
    var current = null;
    var solving = null;
    var waiting = false;
    var sending = false;

    function say(name) { status.textContent = box.dataset[name]; }

    function use(challenge) {
      current = challenge;
      field.value = "";
      say("textWorking");
      solving = solve(challenge.salt, challenge.difficulty).then(function (nonce) {
        if (current === challenge) {
          field.value = challenge.token + "." + nonce;
          say("textDone");
        }
      });
      solving.catch(function () { say("textFailed"); });
      return solving;
    }

    function fresh() {
      return Date.now() < current.expiresAt - MARGIN_MS;
    }

    function renew() {
      if (!box.dataset.refreshUrl || !window.fetch) { return Promise.reject(new Error("no url")); }
      return fetch(box.dataset.refreshUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (body) {
          return use({
            token: body.challenge,
            salt: body.salt,
            difficulty: body.difficulty,
            expiresAt: Date.now() + body.expires_in * 1000
          });
        });
    }

    function send(submitter) {
      sending = true;
      if (form.requestSubmit) {
        form.requestSubmit(submitter || undefined);
        return;
      }
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      form.submit();
    }

    if (!subtle || !window.TextEncoder) {
      say("textFailed");
      return;
    }

    form.addEventListener("submit", function (event) {
      if (sending || (field.value && fresh())) { return; }
      event.preventDefault();
      if (waiting) { return; }
      waiting = true;
      say("textWaiting");
      var ready = fresh() ? solving : renew();
      // Whatever happens, the form goes: the server explains a missing or stale answer.
      ready.then(function () { send(event.submitter); }, function () { send(event.submitter); });
    });

    use({
      token: box.dataset.challenge,
      salt: box.dataset.salt,
      difficulty: parseInt(box.dataset.difficulty, 10),
      expiresAt: Date.now() + parseInt(box.dataset.expiresIn, 10) * 1000
    });
  }

  document.querySelectorAll("[data-proof-of-work]").forEach(protect);
})();
