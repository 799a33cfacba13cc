module fmtoracle

go 1.22
