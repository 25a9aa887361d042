// Small glue for HTMX: show failed requests to the user instead of failing silently,
// and swap 4xx responses that carry a form (validation errors) in place.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var status = evt.detail.xhr.status;
  if (status === 400 || status === 409 || status === 422) {
    evt.detail.shouldSwap = true;   // the server re-rendered the form with its errors
    evt.detail.isError = false;
  }
});
document.addEventListener("htmx:responseError", function (evt) {
  var status = evt.detail.xhr.status;
  var text = status === 403 ? "Your role does not allow this action."
           : status === 404 ? "That item no longer exists; reload the page."
           : "The server could not complete the request (HTTP " + status + "). Try again.";
  showFlash(text);
});
document.addEventListener("htmx:sendError", function () {
  showFlash("The server did not answer. Check your connection and try again.");
});
function showFlash(text) {
  var box = document.getElementById("flashes");
  if (!box) return;
  var div = document.createElement("div");
  div.className = "flash flash-error";
  div.setAttribute("role", "alert");
  div.textContent = text;
  box.appendChild(div);
}
