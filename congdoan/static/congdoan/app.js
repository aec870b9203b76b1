// congdoan: behaviour without inline scripts (the Content Security Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Elements with data-confirm ask before submitting.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Elements with data-autosubmit submit their form when changed.
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
});
// Close the unit picker results when clicking elsewhere.
document.addEventListener("click", (event) => {
  document.querySelectorAll(".unit-picker-results").forEach((box) => {
    if (!box.parentElement.contains(event.target)) {
      box.innerHTML = "";
    }
  });
});
