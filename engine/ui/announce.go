package ui

// Announcer keeps the latest message the page should speak to a screen
// reader (through an aria-live line) and show in its status line. Its zero
// value has said nothing.
type Announcer struct {
	msg    string
	serial int
}

// Say records msg as the latest message. Saying the same words twice still
// counts as a new message, so a repeated refusal is heard again.
func (a *Announcer) Say(msg string) {
	a.msg = msg
	a.serial++
}

// Last returns the latest message and its serial number, which grows by one
// with each Say.
func (a *Announcer) Last() (string, int) { return a.msg, a.serial }
