import "./page.css";
import "./staff-console.js";
