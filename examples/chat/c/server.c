/* chatd: relays each line a client sends to every other client. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 64

static int clients[MAX_CLIENTS];

static int listen_tcp(unsigned short port)
{
	struct sockaddr_in addr;
	int on = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	/* the connections accepted from it inherit keepalive */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0) {
		perror("bind");
		close(fd);
		return -1;
	}
	return fd;
}

/* A local control socket for `chatctl`: not TCP, nothing to do. */
static int listen_control(const char *path)
{
	struct sockaddr_un addr;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 4) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void relay(int from, const char *line, ssize_t len)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i] > 0 && clients[i] != from)
			write(clients[i], line, len);
}

int main(void)
{
	int lfd = listen_tcp(7000);
	int ctl = listen_control("/run/chatd.sock");
	if (lfd < 0)
		return 1;
	for (;;) {
		fd_set rd;
		int maxfd = lfd > ctl ? lfd : ctl;
		FD_ZERO(&rd);
		FD_SET(lfd, &rd);
		for (int i = 0; i < MAX_CLIENTS; i++) {
			if (clients[i] > 0) {
				FD_SET(clients[i], &rd);
				if (clients[i] > maxfd)
					maxfd = clients[i];
			}
		}
		if (select(maxfd + 1, &rd, NULL, NULL, NULL) < 0)
			continue;
		if (FD_ISSET(lfd, &rd)) {
			int cfd = accept(lfd, NULL, NULL);
			for (int i = 0; cfd >= 0 && i < MAX_CLIENTS; i++) {
				if (clients[i] <= 0) {
					clients[i] = cfd;
					break;
				}
			}
		}
		for (int i = 0; i < MAX_CLIENTS; i++) {
			char buf[512];
			ssize_t n;
			if (clients[i] <= 0 || !FD_ISSET(clients[i], &rd))
				continue;
			n = read(clients[i], buf, sizeof buf);
			if (n <= 0) {
				close(clients[i]);
				clients[i] = 0;
				continue;
			}
			relay(clients[i], buf, n);
		}
	}
}
