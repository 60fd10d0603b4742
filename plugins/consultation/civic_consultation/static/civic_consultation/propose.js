// Suggest similar published proposals while the resident types (results are plain text).
(function () {
  "use strict";
  var form = document.querySelector(".proposal-form");
  if (!form || !window.fetch || !form.dataset.similarUrl) { return; }
  var field = form.querySelector("textarea[name=text]");
  var box = document.getElementById("similar-proposals");
  var list = box.querySelector("ul");
  var timer = null;
  var last = "";

  function show(items) {
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.text;
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = field.value.trim();
      if (text.length < 12 || text === last) { return; }
      last = text;
      var url = form.dataset.similarUrl + "?text=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { show(body.results || []); })
        .catch(function () { show([]); });
    }, 350);
  });
})();
