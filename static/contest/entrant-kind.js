// Shows "Thành viên nhóm" only while the entrant type is "Nhóm tác giả". Without scripts the field stays
// visible with its note, and the server ignores it for other types.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var members = document.getElementById("id_team_members");
  if (!kind || !members) return;
  var wrapper = document.getElementById("div_id_team_members") || members.parentElement;
  function sync() {
    var isTeam = kind.value === "team";
    wrapper.hidden = !isTeam;
    members.disabled = !isTeam;
  }
  kind.addEventListener("change", sync);
  sync();
})();
