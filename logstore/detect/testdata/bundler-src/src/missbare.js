import y from "left-pad-missing";
console.log(y);
