/* Run as the first thing in <body>, before anything is drawn: nhsuk-frontend's CSS and JS look for these classes
 * on <body> (a browser without ES modules keeps the no-JavaScript layout). An external file rather than an inline
 * script so that the Content-Security-Policy can refuse every inline script (docs/ARCHITECTURE.md, "Security
 * headers"). */
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
