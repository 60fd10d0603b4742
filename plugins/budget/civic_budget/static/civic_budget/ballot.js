// Running totals of the ballot, per zone. The server checks everything again: this only helps.
(function () {
  "use strict";
  var strings = JSON.parse(document.getElementById("ballot-strings").textContent);
  var euros = new Intl.NumberFormat(document.documentElement.lang || "fr", { style: "currency", currency: "EUR" });

  function update(zone) {
    var cost = 0, chosen = 0, points = 0;
    zone.querySelectorAll("input[data-cost]").forEach(function (input) {
      var given = input.type === "checkbox" ? (input.checked ? 1 : 0) : parseInt(input.value || "0", 10) || 0;
      if (given > 0) { chosen += 1; points += given; cost += parseInt(input.dataset.cost, 10); }
    });
    var output = zone.querySelector("[data-total]");
    var rule = zone.dataset.rule, text, over = false;
    if (rule === "approval_budget") {
      var budget = parseInt(zone.dataset.budget, 10);
      over = cost > budget;
      text = strings.total + " : " + euros.format(cost / 100) + " / " + euros.format(budget / 100);
      if (over) { text += " — " + strings.over; }
    } else if (rule === "approval_count") {
      var max = zone.dataset.max ? parseInt(zone.dataset.max, 10) : Infinity;
      over = chosen > max;
      text = chosen + " " + strings.chosen + (isFinite(max) ? " / " + max : "");
    } else {
      var total = parseInt(zone.dataset.points, 10);
      over = points > total;
      text = points + " / " + total + " " + strings.points;
    }
    output.textContent = text;
    output.hidden = false;
    output.classList.toggle("is-over", over);
  }

  document.querySelectorAll("[data-ballot] fieldset[data-zone]").forEach(function (zone) {
    zone.addEventListener("input", function () { update(zone); });
    zone.addEventListener("change", function () { update(zone); });
    update(zone);
  });
})();
