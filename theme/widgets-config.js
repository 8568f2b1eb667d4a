// CM Ethics: load before require.js. The widget bundles compute where their fonts are from their
// RequireJS module URL; with RequireJS's base URL set to this folder (the site's _static/), every
// page, at any depth, loads the fonts from the site itself and never from a CDN.
var require = { baseUrl: new URL(".", document.currentScript.src).href };
