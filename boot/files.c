/* SPDX-License-Identifier: MIT */
/*
 * Reads the configuration and images from the loader's own volume (the ESP
 * it was started from). Paths in the configuration are relative to
 * \bulkhead\ and use '/'; file contents land in loader pages that survive
 * ExitBootServices, so the core can keep them as pristine copies.
 */
#include "loader.h"

static EFI_FILE_HANDLE volume_root;

EFI_STATUS loader_open_volume(void)
{
	EFI_GUID loaded_image_guid = LOADED_IMAGE_PROTOCOL;
	EFI_GUID file_system_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;
	EFI_LOADED_IMAGE *image;
	EFI_FILE_IO_INTERFACE *file_system;
	EFI_BOOT_SERVICES *boot = loader_system_table->BootServices;
	EFI_STATUS status;

	status = boot->HandleProtocol(loader_image_handle, &loaded_image_guid,
				      (void **)&image);
	if (EFI_ERROR(status))
		return status;
	status = boot->HandleProtocol(image->DeviceHandle, &file_system_guid,
				      (void **)&file_system);
	if (EFI_ERROR(status))
		return status;
	return file_system->OpenVolume(file_system, &volume_root);
}

static EFI_STATUS make_path(const char *path, CHAR16 *wide, UINTN capacity)
{
	static const char prefix[] = "\\bulkhead\\";
	UINTN length = 0;

	for (const char *p = prefix; *p; p++)
		wide[length++] = (CHAR16)*p;
	for (const char *p = path; *p; p++) {
		if (length + 1 >= capacity)
			return EFI_INVALID_PARAMETER;
		wide[length++] = *p == '/' ? '\\' : (CHAR16)(unsigned char)*p;
	}
	wide[length] = 0;
	return EFI_SUCCESS;
}

static EFI_STATUS file_size(EFI_FILE_HANDLE file, UINT64 *size)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	union {
		EFI_FILE_INFO info;
		UINT8 bytes[sizeof(EFI_FILE_INFO) + 512];
	} buffer;
	UINTN buffer_size = sizeof(buffer);
	EFI_STATUS status;

	status = file->GetInfo(file, &info_guid, &buffer_size, &buffer);
	if (!EFI_ERROR(status))
		*size = buffer.info.FileSize;
	return status;
}

EFI_STATUS loader_read_file(const char *path, UINT64 *address, UINT64 *size)
{
	CHAR16 wide[CONFIG_PATH_MAX + 16];
	EFI_FILE_HANDLE file;
	EFI_STATUS status;
	UINTN read_size;

	status = make_path(path, wide, sizeof(wide) / sizeof(wide[0]));
	if (EFI_ERROR(status))
		return status;
	status = volume_root->Open(volume_root, &file, wide, EFI_FILE_MODE_READ,
				   0);
	if (EFI_ERROR(status))
		return status;
	status = file_size(file, size);
	if (!EFI_ERROR(status))
		status = loader_allocate(*size ? *size : 1, ~0ull, address);
	if (!EFI_ERROR(status)) {
		read_size = *size;
		status = file->Read(file, &read_size, (void *)(UINTN)*address);
		if (!EFI_ERROR(status) && read_size != *size)
			status = EFI_VOLUME_CORRUPTED;
	}
	file->Close(file);
	return status;
}
