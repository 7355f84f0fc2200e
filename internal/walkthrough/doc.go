// Package walkthrough runs README.md's walk-through as a user would: the
// shell commands of its marked sections, in order, on a copy of the
// repository, checking the outputs the README shows. The run itself is
// behind the build tag walkthrough (it starts real processes on the
// README's fixed ports); .ci/run runs it:
//
//	go test -tags walkthrough ./internal/walkthrough/
//
// README.md marks what runs with HTML comments, which GitHub does not show:
//
//	<!-- walkthrough: section NAME -->  the sh blocks until the next
//	<!-- walkthrough: end -->           end marker run, in order; the
//	                                    programs a section starts are
//	                                    stopped at its end
//	<!-- walkthrough: skip -->          the next sh block does not run
//	<!-- walkthrough: stdout -->        the next fenced block is the
//	                                    output of the command before it
//	<!-- walkthrough: output PROGRAM --> the next fenced block's lines
//	                                    appear in PROGRAM's output (a
//	                                    program started in the section:
//	                                    emulator, webhook-logger, …)
//
// In an expected output, "…" stands for any text. A command that starts a
// server (it ends with "&", or runs the emulator without a subcommand
// that ends) runs in the background until its section ends; the next
// command waits until it prints a line saying it listens.
package walkthrough
