/* Computational Limits: sort and filter the book's reader tables, offline, no library. */
(function () {
  "use strict";
  function rowsOf(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }
  function sortBy(table, th, index) {
    var numeric = th.getAttribute("data-type") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (other) {
      other.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = rowsOf(table);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-sort");
      var y = b.cells[index].getAttribute("data-sort");
      var d = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return ascending ? d : -d;
    });
    var body = table.tBodies[0];
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function filter(box, table, count) {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = rowsOf(table), shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) { shown++; }
    });
    if (count) { count.textContent = shown + " of " + rows.length + " rows"; }
  }
  function init(wrapper) {
    var table = wrapper.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector("button.complim-sort");
      if (button) { button.addEventListener("click", function () { sortBy(table, th, index); }); }
    });
    var box = wrapper.querySelector(".complim-table-filter");
    var count = wrapper.querySelector(".complim-table-count");
    if (box) { box.addEventListener("input", function () { filter(box, table, count); }); }
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".complim-table"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
