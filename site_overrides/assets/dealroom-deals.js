/* Dealroom: sort and filter the list of deals (home page and "All deals").
 *
 * Enhances every `div.dealroom-deals` table written by templates/room.md.j2: a filter box
 * (name, parties, date, amount, status), status and year choices, a count, and column headers
 * that sort. Without this script the table is the same table, unsorted and unfiltered.
 * Local only: no library, no request to any host.
 */
(function () {
  "use strict";

  // A deal's lifecycle, so that "Status" sorts in the order deals move through it.
  var STATUS_ORDER = ["draft", "negotiating", "signed", "funded", "closed", "terminated"];
  var COLUMNS = ["name", "parties", "date", "amount", "status"];

  function text(cell) {
    return (cell ? cell.textContent : "").replace(/\s+/g, " ").trim();
  }

  // Sort keys of one row, read once from the cells written by the template.
  function rowKeys(row) {
    var cells = row.cells;
    var time = cells[2] && cells[2].querySelector("time[datetime]");
    // The headline amount and its currency, as the template states them (the cell's text is
    // words: "a $500,000,000 revolving credit facility").
    var amount = cells[3] ? cells[3].getAttribute("data-amount") : null;
    var currency = cells[3] ? cells[3].getAttribute("data-currency") || "" : "";
    var status = text(cells[4]).toLowerCase();
    var rank = STATUS_ORDER.indexOf(status);
    return {
      row: row,
      name: text(cells[0]).toLowerCase(),
      parties: text(cells[1]).toLowerCase(),
      date: time ? time.getAttribute("datetime") : "",
      amount: amount ? parseFloat(amount) : null,
      currency: currency,
      status: rank < 0 ? STATUS_ORDER.length : rank,
      statusText: status,
      search: text(row).toLowerCase()
    };
  }

  function compare(a, b, column, ascending) {
    var x = a[column], y = b[column];
    if (x === null || y === null) return (x === null) - (y === null);  // no amount: last
    // Amounts in different currencies are not compared: they sort by currency first.
    if (column === "amount" && a.currency !== b.currency) {
      return (a.currency < b.currency ? -1 : 1) * (ascending ? 1 : -1);
    }
    var order = x === y ? 0 : typeof x === "number" ? x - y : x < y ? -1 : 1;
    return ascending ? order : -order;
  }

  function option(select, value, label) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = label;
    select.appendChild(item);
  }

  function labelled(labelText, control) {
    var label = document.createElement("label");
    label.className = "dealroom-deals__field";
    label.appendChild(document.createTextNode(labelText + " "));
    label.appendChild(control);
    return label;
  }

  function enhance(wrapper) {
    var table = wrapper.querySelector("table");
    // A data attribute, not a class: Material styles only class-less tables.
    if (!table || !table.tBodies.length || table.hasAttribute("data-dealroom-enhanced")) return;
    table.setAttribute("data-dealroom-enhanced", "");
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, rowKeys);

    var tools = document.createElement("div");
    tools.className = "dealroom-deals__tools";
    var query = document.createElement("input");
    query.type = "search";
    query.className = "dealroom-deals__query";
    query.placeholder = "Name, party, date, amount";
    var status = document.createElement("select");
    status.className = "dealroom-deals__status";
    option(status, "", "All statuses");
    STATUS_ORDER.forEach(function (name) {
      if (rows.some(function (r) { return r.statusText === name; })) option(status, name, name);
    });
    var year = document.createElement("select");
    year.className = "dealroom-deals__year";
    option(year, "", "All years");
    rows.map(function (r) { return r.date.slice(0, 4); })
      .filter(function (y, i, all) { return y && all.indexOf(y) === i; })
      .sort().reverse()
      .forEach(function (y) { option(year, y, y); });
    var count = document.createElement("p");
    count.className = "dealroom-deals__count";
    count.setAttribute("role", "status");
    tools.appendChild(labelled("Filter deals", query));
    tools.appendChild(labelled("Status", status));
    tools.appendChild(labelled("Year", year));
    tools.appendChild(count);
    wrapper.insertBefore(tools, wrapper.firstChild);

    function filter() {
      var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (r) {
        var match = (!status.value || r.statusText === status.value) &&
          (!year.value || r.date.slice(0, 4) === year.value) &&
          words.every(function (w) { return r.search.indexOf(w) >= 0; });
        r.row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + rows.length +
        (rows.length === 1 ? " deal" : " deals");
    }

    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var column = COLUMNS[index];
      if (!column) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dealroom-deals__sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("scope", "col");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) { return compare(a, b, column, ascending); });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r.row); });
        body.appendChild(fragment);
      });
    });

    query.addEventListener("input", filter);
    status.addEventListener("change", filter);
    year.addEventListener("change", filter);
    filter();
  }

  // The whole-deal page's Print button: shown only where the script runs to make it work.
  function printButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button.dealroom-print-button"), function (b) {
      b.hidden = false;
      b.onclick = function () { window.print(); };
    });
  }

  function run() {
    Array.prototype.forEach.call(document.querySelectorAll("div.dealroom-deals"), enhance);
    printButtons();
  }

  // Material's instant loading replaces pages without reloading scripts; it announces each.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
