module github.com/kafkac/kafkac-go

go 1.19
