package ui

import "strings"

// Wrap breaks s into lines no wider than w as measured by width, keeping
// its line breaks; a word wider than a line gets a line of its own. The
// page measures with its font, the layout with an estimate.
func Wrap(s string, w float64, width func(string) float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && width(try) > w {
				lines = append(lines, line)
				line = word
			} else {
				line = try
			}
		}
		lines = append(lines, line)
	}
	return lines
}
