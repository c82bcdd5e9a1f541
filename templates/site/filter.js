// Filters for the report listing on the index page: by name or organisation number, type and year.
// Without scripts the form stays hidden and every report is listed. Below: the search field of a report's list
// of procurements.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var name = document.getElementById("f-name");
  var type = document.getElementById("f-type");
  var year = document.getElementById("f-year");
  var count = document.getElementById("f-count");
  var template = form.getAttribute("data-count");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  // Rows saying an organisation has no data that year are found like the others, but are no reports.
  var total = document.querySelectorAll("section.year tbody tr:not([data-empty])").length;

  function apply() {
    var query = name.value.trim().toLowerCase();
    var shown = 0;
    sections.forEach(function (section) {
      var inYear = !year.value || section.getAttribute("data-year") === year.value;
      var visible = 0, reports = 0;
      Array.prototype.forEach.call(section.querySelectorAll("tbody tr"), function (row) {
        var match = inYear && (!type.value || row.getAttribute("data-type") === type.value) &&
          (!query || row.getAttribute("data-search").indexOf(query) !== -1);
        row.hidden = !match;
        if (match) { visible += 1; }
        if (match && !row.hasAttribute("data-empty")) { reports += 1; }
      });
      section.hidden = visible === 0;
      shown += reports;
    });
    count.textContent = template.replace("{shown}", shown).replace("{total}", total);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  [name, type, year].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
})();

// A report's list of procurements: a search field above each table.procurements (made here, so that without
// scripts the whole list shows), which hides the rows whose text does not contain what is typed, and says how many
// are shown (the table's data-filter-label and data-filter-count, in the page's language).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("table.procurements[data-filter-label]"), function (table, k) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var template = table.getAttribute("data-filter-count");
    var field = document.createElement("p");
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.id = "procurement-filter-" + k;
    label.htmlFor = input.id;
    label.textContent = table.getAttribute("data-filter-label") + " ";
    status.setAttribute("role", "status");
    field.className = "procurement-filter";
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(document.createTextNode(" "));
    field.appendChild(status);
    var region = table.closest(".scroll") || table;
    region.parentNode.insertBefore(field, region);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) === -1;
        if (!row.hidden) { shown += 1; }
      });
      status.textContent = query ? template.replace("{shown}", shown).replace("{total}", rows.length) : "";
    });
  });
})();
