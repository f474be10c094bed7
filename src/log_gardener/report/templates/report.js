"use strict";
(function () {
  // Filter the problems by priority and status, sort the table: no server, no request.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var table = document.getElementById("problems");
  var body = table ? table.tBodies[0] : null;
  var shown = document.getElementById("shown");

  function wanted(el) {
    return boxes.every(function (box) {
      var value = el.getAttribute("data-" + box.getAttribute("data-filter"));
      return box.getAttribute("value") !== value || box.checked;
    });
  }

  function apply() {
    var rows = body ? body.rows : [];
    var visible = 0;
    for (var i = 0; i < rows.length; i++) {
      var keep = wanted(rows[i]);
      rows[i].classList.toggle("hidden", !keep);
      if (keep) { visible++; }
    }
    document.querySelectorAll("section.problem").forEach(function (section) {
      section.classList.toggle("hidden", !wanted(section));
    });
    if (shown) { shown.textContent = String(visible); }
  }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });

  // Sorting moves a cause with its consequences: rows are grouped by their root.
  function groups() {
    var out = [];
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.getAttribute("data-depth") === "0" || out.length === 0) { out.push([row]); }
      else { out[out.length - 1].push(row); }
    });
    return out;
  }

  document.querySelectorAll("th button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-sort");
      var descending = button.getAttribute("aria-sort") !== "descending";
      document.querySelectorAll("th button[data-sort]").forEach(function (b) { b.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var all = groups();
      all.sort(function (a, b) {
        var x = a[0].getAttribute("data-" + key), y = b[0].getAttribute("data-" + key);
        var nx = Number(x), ny = Number(y);
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
        return descending ? -order : order;
      });
      all.forEach(function (group) { group.forEach(function (row) { body.appendChild(row); }); });
    });
  });

  // On paper, every collapsed block is shown.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  apply();
})();
