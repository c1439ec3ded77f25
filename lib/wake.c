#include "wake.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"

int
wake_socket_path(const char *runtime_dir, char *buf, size_t len, char **errp)
{
	struct sockaddr_un sun;
	int n;

	n = snprintf(buf, len, "%s/nudged.sock", runtime_dir);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sun.sun_path))
		return err_set(errp, "runtime_dir '%s' is too long for a "
		    "socket path", runtime_dir);
	return 0;
}

static int
wake_address(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

void
wake_send(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (wake_address(path, &sun) != 0)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	/* A full queue means a wake-up is already pending: good enough. */
	(void)sendto(fd, "w", 1, 0, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
}

int
wake_listen(const char *path, int *fd, char **errp)
{
	struct sockaddr_un sun;
	int s;

	*fd = -1;
	if (wake_address(path, &sun) != 0)
		return err_set(errp, "%s: socket path too long", path);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return err_set(errp, "socket: %s", strerror(errno));
	/* Only one nudged runs per database (it holds a lock before getting
	 * here), so an existing socket file is a leftover. */
	if (unlink(path) != 0 && errno != ENOENT) {
		err_set(errp, "%s: cannot remove stale socket: %s", path,
		    strerror(errno));
		close(s);
		return -1;
	}
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		err_set(errp, "%s: cannot bind wake-up socket: %s", path,
		    strerror(errno));
		close(s);
		return -1;
	}
	(void)chmod(path, 0660);
	*fd = s;
	return 0;
}

int
wake_drain(int fd)
{
	char buf[64];
	int n = 0;

	while (recv(fd, buf, sizeof(buf), 0) > 0)
		n++;
	return n;
}
