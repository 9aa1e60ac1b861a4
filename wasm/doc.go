// Command wasm is ConvLab's page: the js/wasm program that feeds the
// student's events to engine/app and draws what it describes with
// Ebitengine. Build it with ./build.sh; it runs only in a browser.
package main
