// Fengqiao assist: "采用此建议" copies a suggested wording into its field.
// Loaded as a file because the Content-Security-Policy allows no inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-apply-to]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-apply-to"));
  var box = button.closest(".suggestion-box");
  var text = box && box.querySelector(".suggestion-text");
  if (field && text) {
    field.value = text.textContent;
    field.focus();
  }
});
