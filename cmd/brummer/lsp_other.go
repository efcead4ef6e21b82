//go:build !unix

package main

import "io"

func interruptible(stdin io.Reader, stdout io.Writer) (io.Reader, io.Writer) { return stdin, stdout }
