// Filters for the report listing on the index page: by name or organisation number, type and year.
// Without scripts the form stays hidden and every report is listed.
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
