/* chat: connects to chatd and copies stdin to the server, the server to stdout. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int dial(const char *host, unsigned short port)
{
	struct sockaddr_in addr;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	inet_pton(AF_INET, host, &addr.sin_addr);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	char buf[512];
	ssize_t n;
	int fd = dial(argc > 1 ? argv[1] : "127.0.0.1", 7000);
	if (fd < 0)
		return 1;
	while ((n = read(0, buf, sizeof buf)) > 0)
		write(fd, buf, n);
	close(fd);
	return 0;
}
