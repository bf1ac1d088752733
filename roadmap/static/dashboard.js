// Dashboard filters: a choice in a list applies at once, and empty fields stay out of the
// address, so the URL holds just the filters in use and can be shared as it is.
document.querySelectorAll("form.filters").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && field.value === "") field.disabled = true;
    });
  });
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
});
