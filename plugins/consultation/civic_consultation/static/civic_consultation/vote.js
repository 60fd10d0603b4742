// Vote cards without page reloads: each card is a real form that works without JavaScript;
// here it is posted in the background, then the next card shows and takes the focus.
(function () {
  "use strict";
  var deck = document.querySelector(".card-deck");
  if (!deck || !window.fetch) { return; }
  var progress = document.getElementById("sequence-progress");
  var done = parseInt(deck.dataset.done, 10);

  deck.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!button || button.name !== "value") { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.set("value", button.value);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin", redirect: "follow",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      var next = form.nextElementSibling;
      form.remove();
      done += 1;
      if (!next) { window.location.reload(); return; }
      next.hidden = false;
      if (progress) { progress.textContent = progress.textContent.replace(/\d+/, String(done + 1)); }
      var title = next.querySelector(".card-title");
      if (title) { title.focus(); }
    }).catch(function () { form.submit(); });
  });
})();
