// Running totals of the ballot, per zone. The server checks everything again: this only helps.
// The language is the page's (<html lang>), the currency the form's (data-currency): nothing
// here is a city's.
(function () {
  "use strict";
  var form = document.querySelector("[data-ballot]");
  if (!form) { return; }
  var strings = JSON.parse(document.getElementById("ballot-strings").textContent);
  var locale = document.documentElement.lang || undefined;
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: form.dataset.currency || "EUR" });
  var numbers = new Intl.NumberFormat(locale);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

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
      text = fill(strings.total, { spent: money.format(cost / 100), budget: money.format(budget / 100) });
      if (over) { text += " — " + strings.over; }
    } else if (rule === "approval_count") {
      var max = zone.dataset.max ? parseInt(zone.dataset.max, 10) : Infinity;
      over = chosen > max;
      text = fill(strings.chosen, { count: numbers.format(chosen) }) + (isFinite(max) ? " / " + numbers.format(max) : "");
    } else {
      var total = parseInt(zone.dataset.points, 10);
      over = points > total;
      text = fill(strings.points, { points: numbers.format(points), total: numbers.format(total) });
    }
    output.textContent = text;
    output.hidden = false;
    output.classList.toggle("is-over", over);
  }

  form.querySelectorAll("fieldset[data-zone]").forEach(function (zone) {
    zone.addEventListener("input", function () { update(zone); });
    zone.addEventListener("change", function () { update(zone); });
    update(zone);
  });
})();
